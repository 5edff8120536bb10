# Drops glibc's two link-time notes on a static binary that libX11 can reach dlopen and
# getaddrinfo (Makefile, STATIC_LIBS says why they are harmless) with the "in function"
# line before each; prints every other line of the linker's output.
/: in function `/ { held = $0; next }
/warning: Using '(dlopen|getaddrinfo)' in statically linked applications/ { held = ""; next }
{ if (held != "") print held; held = ""; print }
END { if (held != "") print held }
