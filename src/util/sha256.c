#include "util/sha256.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <sha2.h>

void sha256_hex(const void *data, size_t len, char out[65])
{
	/* RTLD_NODELETE: loaded once, it stays for the hashes that follow (each later dlopen
	 * finds it loaded), and no pointer to it is kept between calls */
	void *h = dlopen(SHA256_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	__typeof__(SHA256Data) *f = NULL;
	if (h)
		*(void **)&f = dlsym(h, "SHA256Data");
	if (f)
		f((const uint8_t *)data, len, out);
	else
		out[0] = 0;
	if (h)
		dlclose(h);
}

int sha256_load(struct err *e)
{
	void *h = dlopen(SHA256_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (h && dlsym(h, "SHA256Data")) {
		dlclose(h);
		return 0;
	}
	const char *why = dlerror();
	err_set(e, "cannot load SHA256Data from %s (%s): the manifest's hashes need it; install libmd0 (Debian)",
		SHA256_SONAME, why ? why : "not found");
	if (h)
		dlclose(h);
	return -ENOENT;
}
