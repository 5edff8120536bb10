/* Growing an array by doubling, for the VEC/N/CAP triples the stages keep (profiles,
 * findings, signatures, redactions). A realloc per element leaves a trail of freed arrays in
 * the heap. */
#pragma once
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* Room for one more element in VEC (N used, CAP allocated): when full, doubles CAP (FIRST
 * when it is 0). 0, or -ENOMEM with VEC and CAP unchanged. */
#define array_grow(vec, n, cap, first) ({ \
	int array_rc_ = 0; \
	if ((n) == (cap)) { \
		size_t array_cap_ = (cap) ? (cap) * 2 : (first); \
		__typeof__(vec) array_v_ = array_cap_ > SIZE_MAX / sizeof(*(vec)) / 2 ? NULL : \
			realloc((vec), array_cap_ * sizeof(*(vec))); \
		if (array_v_) { \
			(vec) = array_v_; \
			(cap) = array_cap_; \
		} else \
			array_rc_ = -ENOMEM; \
	} \
	array_rc_; \
})
