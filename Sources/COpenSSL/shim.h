#ifndef REVIEW_COPENSSL_SHIM_H
#define REVIEW_COPENSSL_SHIM_H

/* The system's libcrypto (OpenSSL 3, Debian's libssl-dev), for what review needs: SHA-256 and
 * SHA-1, Ed25519, AES-GCM and random bytes. SystemCrypto is the one module that calls these;
 * each function below owns the OpenSSL objects it makes and frees them before it returns.
 *
 * SHA-256 and SHA-1 use the one-structure interface (deprecated in OpenSSL 3 in favour of
 * EVP, which allocates a context and looks the algorithm up on every use): a paragraph hash
 * costs no allocation. The deprecation is silenced here, for these calls only. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <limits.h>
#include <stddef.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

static inline void review_sha256_init(SHA256_CTX *c) { SHA256_Init(c); }
static inline void review_sha256_update(SHA256_CTX *c, const void *bytes, size_t count) { if (count) SHA256_Update(c, bytes, count); }
static inline void review_sha256_final(SHA256_CTX *c, unsigned char out[32]) { SHA256_Final(out, c); }

static inline void review_sha1_init(SHA_CTX *c) { SHA1_Init(c); }
static inline void review_sha1_update(SHA_CTX *c, const void *bytes, size_t count) { if (count) SHA1_Update(c, bytes, count); }
static inline void review_sha1_final(SHA_CTX *c, unsigned char out[20]) { SHA1_Final(out, c); }

/* Overwrites secret bytes in a way the compiler cannot remove. */
static inline void review_cleanse(void *bytes, size_t count) { if (bytes && count) OPENSSL_cleanse(bytes, count); }

/* 1 when `count` random bytes from the system's generator are in `out`. */
static inline int review_random(unsigned char *out, size_t count) {
    while (count > 0) {
        int n = count > INT_MAX ? INT_MAX : (int)count;
        if (RAND_bytes(out, n) != 1) return 0;
        out += n;
        count -= (size_t)n;
    }
    return 1;
}

/* A message pointer OpenSSL may read zero bytes from (Swift passes NULL for an empty buffer). */
static inline const unsigned char *review_message(const void *bytes) {
    static const unsigned char empty = 0;
    return bytes ? (const unsigned char *)bytes : &empty;
}

/* Ed25519 (RFC 8032) from a 32-byte seed: its public key. 1 on success. */
static inline int review_ed25519_public_key(const unsigned char seed[32], unsigned char out[32]) {
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    size_t length = 32;
    int ok = key != NULL && EVP_PKEY_get_raw_public_key(key, out, &length) == 1 && length == 32;
    EVP_PKEY_free(key);
    return ok;
}

/* Ed25519 signature of `message` under the 32-byte seed into `signature` (64 bytes). 1 on success. */
static inline int review_ed25519_sign(const unsigned char seed[32], const void *message, size_t count, unsigned char signature[64]) {
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t length = 64;
    int ok = key != NULL && context != NULL && EVP_DigestSignInit(context, NULL, NULL, NULL, key) == 1
        && EVP_DigestSign(context, signature, &length, review_message(message), count) == 1 && length == 64;
    EVP_MD_CTX_free(context);
    EVP_PKEY_free(key);
    return ok;
}

/* 1 when `signature` is a valid Ed25519 signature of `message` by the 32-byte public key. */
static inline int review_ed25519_verify(const unsigned char public_key[32], const void *signature, size_t signature_count,
                                        const void *message, size_t count) {
    if (signature_count != 64) return 0;
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, public_key, 32);
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    int ok = key != NULL && context != NULL && EVP_DigestVerifyInit(context, NULL, NULL, NULL, key) == 1
        && EVP_DigestVerify(context, (const unsigned char *)signature, 64, review_message(message), count) == 1;
    EVP_MD_CTX_free(context);
    EVP_PKEY_free(key);
    return ok;
}

static inline const EVP_CIPHER *review_aes_gcm_cipher(size_t key_count) {
    switch (key_count) {
    case 16: return EVP_aes_128_gcm();
    case 24: return EVP_aes_192_gcm();
    case 32: return EVP_aes_256_gcm();
    default: return NULL;
    }
}

/* Feeds `count` bytes to an AES-GCM context, in pieces OpenSSL's int lengths can take
 * (`out` NULL: additional data). 1 on success. */
static inline int review_aes_gcm_update(EVP_CIPHER_CTX *context, int encrypt, unsigned char *out, const unsigned char *in, size_t count) {
    while (count > 0) {
        int n = count > (1 << 30) ? (1 << 30) : (int)count, written = 0;
        int ok = encrypt ? EVP_EncryptUpdate(context, out, &written, in, n) : EVP_DecryptUpdate(context, out, &written, in, n);
        if (ok != 1 || (out != NULL && written != n)) return 0;
        in += n;
        if (out != NULL) out += n;
        count -= (size_t)n;
    }
    return 1;
}

/* AES-GCM with a 12-byte nonce and a 16-byte tag. Sealing writes `count` bytes of ciphertext
 * to `out` and the tag to `tag`; opening checks `tag` and writes the plaintext. 1 on success
 * (opening: only when the tag verifies). */
static inline int review_aes_gcm(int encrypt, const unsigned char *key, size_t key_count, const unsigned char nonce[12],
                                 const void *aad, size_t aad_count, const void *in, size_t count, unsigned char *out,
                                 unsigned char tag[16]) {
    const EVP_CIPHER *cipher = review_aes_gcm_cipher(key_count);
    if (cipher == NULL) return 0;
    EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
    unsigned char rest[16];  /* GCM's final step writes nothing */
    int final = 0;
    int ok = context != NULL
        && EVP_CipherInit_ex(context, cipher, NULL, NULL, NULL, encrypt) == 1
        && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1
        && EVP_CipherInit_ex(context, NULL, NULL, key, nonce, encrypt) == 1
        && review_aes_gcm_update(context, encrypt, NULL, review_message(aad), aad_count)
        && review_aes_gcm_update(context, encrypt, out, review_message(in), count)
        && (encrypt || EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1)
        && EVP_CipherFinal_ex(context, rest, &final) == 1 && final == 0
        && (!encrypt || EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1);
    EVP_CIPHER_CTX_free(context);
    return ok;
}

#endif
