/* Internal: the CCA attestation token (RMM spec A7.2.3) a realm retrieves with
 * RSI_ATTESTATION_TOKEN_INIT / _CONTINUE: a CBOR-tagged collection (tag 399) of the CCA platform
 * token, signed by the platform's Initial Attestation Key (IAK) and holding the hash of the
 * Realm Attestation Key's public part, and the Realm token, signed by that RAK. Both are
 * COSE_Sign1 (ES384, P-384). In the model EL3 derives both keys from fixed seeds and the
 * signatures use RFC 6979 deterministic nonces, so the same scenario gives the same token. */
#ifndef RMM_ATTEST_H
#define RMM_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rmm/realm.h"

#define ATTEST_CHALLENGE_SIZE 64

/* The whole token for realm r and this challenge, in a buffer the caller frees. */
bool attest_token_create(const struct rmm_realm *r, const uint8_t challenge[ATTEST_CHALLENGE_SIZE],
                         uint8_t **token, size_t *len);

/* The public keys as the token carries them (COSE_Key, EC2 P-384), for verifiers and tests. */
bool attest_rak_public(uint8_t **cose_key, size_t *len);
bool attest_iak_public(uint8_t **cose_key, size_t *len);

#endif
