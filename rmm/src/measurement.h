/* Internal: realm measurements (A7.1). The Realm Initial Measurement starts as the hash of the
 * measured fields of RmiRealmParams and is extended, for each DATA_CREATE, runnable REC_CREATE
 * and RTT_INIT_RIPAS entry, by hashing a 256-byte measurement descriptor that holds the current
 * RIM (RmmMeasurementDescriptorData / Rec / Ripas, B4.4.x; layouts as TF-RMM's
 * lib/measurement). REMs are extended by the realm with RSI_MEASUREMENT_EXTEND. */
#ifndef RMM_MEASUREMENT_H
#define RMM_MEASUREMENT_H

#include <stddef.h>
#include <stdint.h>

#define MEASUREMENT_MAX 64 /* bytes: SHA-512; SHA-256 values are zero-padded */

size_t measurement_size(unsigned hash_algo);
/* out = H(data) */
void measurement_hash(unsigned hash_algo, const void *data, size_t size,
                      uint8_t out[MEASUREMENT_MAX]);
/* m = H(m[0..hash size) || data) */
void measurement_extend(unsigned hash_algo, uint8_t m[MEASUREMENT_MAX], const void *data,
                        size_t size);

/* RIM extensions by descriptor (desc_type 0 data, 1 REC, 2 RIPAS) */
void measure_data(unsigned hash_algo, uint8_t rim[MEASUREMENT_MAX], uint64_t ipa, uint64_t flags,
                  const uint8_t *content_or_null);
void measure_rec(unsigned hash_algo, uint8_t rim[MEASUREMENT_MAX], uint64_t flags, uint64_t pc,
                 const uint64_t gprs[8]);
/* The RIM's first value: the hash of a zeroed RmiRealmParams holding only the measured fields,
 * given in their order (flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs, hash_algo). */
void measure_realm_params(unsigned hash_algo, const uint64_t fields[7],
                          uint8_t rim[MEASUREMENT_MAX]);
void measure_ripas(unsigned hash_algo, uint8_t rim[MEASUREMENT_MAX], uint64_t base, uint64_t top);

#endif
