#!/usr/bin/env python3
"""One scenario of tests/sh/40-faults.sh: every call of each system call fails in turn.

    faults_run.py TMP SCENARIO COMMAND BIN TOP SYSCALL...

TMP holds SCENARIO.old and SCENARIO.new (the tree before and after a clean run of
COMMAND) and snap.json. For each SYSCALL, a clean run under strace counts its calls
after the dynamic loader; then each call i fails in turn (with EIO, ENOSPC or EROFS, in
rotation; and a SIGKILL at it), on a fresh copy of the old tree, and the run is judged as
40-faults.sh says.
Prints "calls: ..." lines, a "FAIL: ..." line per bad run, and last "runs N bad N".

The loop lives here, not in the shell, because a run then costs three process starts
(strace, the tool under it, the re-run) instead of about thirty (cp, find, sha256sum,
sort, awk, cmp ... for each tree hash): the checks themselves are the shell's, one for one.
"""
import fnmatch
import hashlib
import os
import re
import shutil
import subprocess
import sys

CONF = "etc/X11/xorg.conf.d"


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def treehash(root):
    """tests/treehash.sh ROOT without file mtimes (as 40-faults.sh's th): one line per
    path: path, type, mode, uid:gid, size or link target, SHA-256 of regular files."""
    lines = []
    for d, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(d, name)
            rel = os.path.relpath(p, root)
            st = os.lstat(p)
            meta = "%o %d:%d" % (st.st_mode & 0o7777, st.st_uid, st.st_gid)
            if os.path.islink(p):
                lines.append("%s l %s -> %s" % (rel, meta, os.readlink(p)))
            elif os.path.isdir(p):
                lines.append("%s d %s" % (rel, meta))
            elif os.path.isfile(p):
                lines.append("%s f %s %d %s" % (rel, meta, st.st_size, sha256(p)))
            else:
                kind = {0o010000: "p", 0o140000: "s", 0o020000: "c", 0o060000: "b"}
                lines.append("%s %s %s" % (rel, kind.get(st.st_mode & 0o170000, "U"), meta))
    return sorted(lines, key=lambda s: s.encode("utf-8", "surrogateescape"))


def conf(root):
    """The configuration files of ours in ROOT/CONF: name and SHA-256, sorted."""
    d = os.path.join(root, CONF)
    try:
        names = os.listdir(d)
    except OSError:
        return []
    out = []
    for f in names:
        p = os.path.join(d, f)
        if not f.startswith(".") and fnmatch.fnmatchcase(f, "*optimus-guest*.conf") and os.path.isfile(p):
            out.append("%s %s" % (f, sha256(p)))
    return sorted(out)


def temps(root):
    """Paths named .*.tmp anywhere under ROOT (find -name '.*.tmp')."""
    n = 0
    for _, dirs, files in os.walk(root):
        n += sum(1 for f in dirs + files if fnmatch.fnmatchcase(f, ".*.tmp"))
    return n


def same_file(a, b):
    """cmp -s A B: both readable, same bytes."""
    try:
        with open(a, "rb") as fa, open(b, "rb") as fb:
            return fa.read() == fb.read()
    except OSError:
        return False


def fresh_copy(src, dst):
    """rm -rf DST; cp -a SRC DST (modes, owners, times, links)."""
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, symlinks=True)
    for d, dirs, files in os.walk(src):
        for name in [""] + dirs + files:
            p = os.path.join(d, name)
            st = os.lstat(p)
            os.lchown(os.path.join(dst, os.path.relpath(p, src)), st.st_uid, st.st_gid)


def status(rc):
    """A shell's $? for a subprocess return code (signal N: 128 + N)."""
    return 128 - rc if rc < 0 else rc


def main():
    tmp, s, cmd, binary, top = sys.argv[1:6]
    syscalls = sys.argv[6:]
    tool = [binary, "--data-dir", top, "--snapshot", os.path.join(tmp, "snap.json")]
    w = os.path.join(tmp, "w" + s)
    old, new = os.path.join(tmp, s + ".old"), os.path.join(tmp, s + ".new")
    old_th, new_th = treehash(old), treehash(new)
    old_conf, new_conf = conf(old), conf(new)
    run = tool + ["--root", w] + cmd.split()
    devnull = subprocess.DEVNULL

    # count the calls of each syscall in a clean run
    fresh_copy(old, w)
    count = os.path.join(tmp, "count" + s)
    subprocess.run(["strace", "-f", "-qq", "-o", count, "-e", "trace=" + ",".join(syscalls)] + run,
                   stdout=devnull, stderr=devnull)
    with open(count, errors="surrogateescape") as f:
        trace = f.read().splitlines()
    # calls before main() are the dynamic loader's (libraries): not ours, skipped
    first = next((k + 1 for k, l in enumerate(trace) if "snap.json" in l), None)
    if first is None:
        first = next((k + 1 for k, l in enumerate(trace) if "/w%s\"" % s in l), None)
    # as the shell's head -n $((first - 1)) with no match: every line but the last
    before = trace[:first - 1] if first is not None else trace[:-1]

    runs = bad = 0
    err_path, err2_path = os.path.join(tmp, "err" + s), os.path.join(tmp, "err2" + s)
    out_path = os.path.join(tmp, "out" + s)
    for sc in syscalls:
        call = re.compile(r"^[0-9]* *" + re.escape(sc) + r"\(")
        n = sum(1 for l in trace if call.match(l))
        start = sum(1 for l in before if call.match(l))
        print("calls: %s %s: %d (after the loader)" % (s, sc, n - start), flush=True)
        # each call fails once with an errno and is killed once; the errno goes round EIO,
        # ENOSPC, EROFS from one call to the next (the tool takes one path for any failure,
        # and the three still reach each system call that has three calls or more)
        errors = ["error=EIO", "error=ENOSPC", "error=EROFS"]
        # a failing close or utimensat/fchown takes the same path whatever the errno
        if sc in ("close", "fchown", "utimensat"):
            errors = ["error=EIO"]
        for i in range(start + 1, n + 1):
            for fault in (errors[(i - start - 1) % len(errors)], "signal=KILL"):
                runs += 1
                fresh_copy(old, w)
                with open(out_path, "wb") as o, open(err_path, "wb") as e:
                    rc = status(subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=" + sc,
                                                "-e", "inject=%s:%s:when=%d" % (sc, fault, i)] + run,
                                               stdout=o, stderr=e).returncode)
                what = "%s (%s): %s #%d %s" % (s, cmd, sc, i, fault)
                c = conf(w)
                whole = c == old_conf or c == new_conf
                problem = ""
                if rc not in (0, 1, 137):
                    problem = " exit-%d" % rc
                w_th = None
                if fault == "signal=KILL":
                    # each file whole (old or new bytes); a mixed set is repaired by the next run
                    try:
                        names = sorted(f for f in os.listdir(os.path.join(w, CONF)) if not f.startswith("."))
                    except OSError:
                        names = []
                    for f in names:
                        if not (same_file(os.path.join(w, CONF, f), os.path.join(old, CONF, f)) or
                                same_file(os.path.join(w, CONF, f), os.path.join(new, CONF, f))):
                            problem += " torn:" + f
                else:
                    if not whole:
                        problem += " config-neither-old-nor-new"
                    if temps(w):
                        problem += " temp-left"
                    w_th = treehash(w)
                    if rc == 0:
                        # after revert's commit, a state file it could not delete is only a
                        # warning (said, and the next run removes it): compare the configuration
                        if cmd == "revert":
                            if c != new_conf:
                                problem += " exit-0-but-not-new"
                        elif w_th != new_th:
                            problem += " exit-0-but-not-new"
                    else:
                        with open(err_path, "rb") as e:
                            if not any(l.startswith(b"optimus-guest: ") for l in e.read().split(b"\n")):
                                problem += " no-message"
                        if w_th != old_th and w_th != new_th:
                            problem += " tree-neither-old-nor-new"
                # the next run (the next boot) finishes the job
                with open(err2_path, "wb") as e:
                    if subprocess.run(run, stdout=devnull, stderr=e).returncode != 0:
                        problem += " re-run-failed"
                w_th = treehash(w)
                if w_th != new_th:
                    problem += " re-run-not-new"
                if problem:
                    bad += 1
                    print("FAIL: %s:%s (exit %d)" % (what, problem, rc))
                    with open(err_path, errors="replace") as e:
                        for l in e.read().splitlines()[:3]:
                            print("    " + l)
                    gone = [l for l in new_th if l not in w_th]
                    extra = [l for l in w_th if l not in new_th]
                    for l in (["< " + l for l in gone] + ["> " + l for l in extra])[:5]:
                        print(l)
                    sys.stdout.flush()
    print("runs %d bad %d" % (runs, bad))


if __name__ == "__main__":
    main()
