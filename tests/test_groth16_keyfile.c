/* Proving-key files larger than one 32 MiB release batch: zk_g16_pk_load
 * drops a mapped key's pages batch by batch while checksumming it
 * (g16_key.c), which must give the same checksum as the one-pass
 * computation of zk_g16_pk_save; a byte changed in a late batch must be
 * caught. The image (2^20-point H section, 64 MiB) holds pseudo-random
 * bytes: point validity is not what is tested here (load does not
 * re-validate the big sections); after loading, the mapped image must
 * equal the saved one byte for byte, also after the pages were dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "groth16/g16_internal.h"
#include "test.h"

int main(void) {
    test_init();
    zk_pool *pool = zk_pool_new(2);
    zk_g16_pk pk;
    const unsigned log_n = 20;
    CHECK(g16_pk_alloc(&pk, 1000, 1, ((uint64_t)1 << log_n) - 3, log_n, 0) == ZK_OK);
    if (!pk.image_) return 1;
    uint8_t *h = g16_sec(&pk, G16_SEC_H);
    const size_t hlen = pk.domain_size * sizeof(g1_affine_t);
    for (size_t i = 0; i + 8 <= hlen; i += 8) {
        uint64_t r = test_rand64();
        memcpy(h + i, &r, 8);
    }
    CHECK(pk.image_len_ > ((size_t)40 << 20));
    char path[64];
    snprintf(path, sizeof path, "/tmp/test_groth16_keyfile_%d.pk", (int)getpid());
    CHECK(zk_g16_pk_save(path, &pk) == ZK_OK);

    zk_g16_pk lk;
    zk_g16_msg msg;
    memset(&msg, 0, sizeof msg);
    zk_err e = zk_g16_pk_load(pool, &lk, path, &msg);
    CHECK_MSG(e == ZK_OK, "load: %s", msg.text);
    if (e == ZK_OK) {
        CHECK(lk.image_len_ == pk.image_len_);
        /* the payload (the saved header also holds the checksum); pages fault back in */
        CHECK(memcmp((const uint8_t *)lk.image_ + G16_HEADER_LEN, (const uint8_t *)pk.image_ + G16_HEADER_LEN,
                     pk.image_len_ - G16_HEADER_LEN) == 0);
        g16_pk_release(&lk, lk.h, hlen);                         /* drop them again: still the same data */
        CHECK(memcmp(lk.h, pk.h, hlen) == 0);
        zk_g16_pk_free(&lk);
    }
    /* one byte in the last release batch */
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (f) {
        long off = (long)pk.image_len_ - 1000;
        uint8_t b = ((uint8_t *)pk.image_)[off] ^ 0x20;
        CHECK(fseek(f, off, SEEK_SET) == 0 && fwrite(&b, 1, 1, f) == 1);
        fclose(f);
        memset(&msg, 0, sizeof msg);
        CHECK(zk_g16_pk_load(pool, &lk, path, &msg) == ZK_ERR_FORMAT);
        CHECK(strstr(msg.text, "checksum") != NULL);
    }
    unlink(path);
    zk_g16_pk_free(&pk);
    zk_pool_free(pool);
    TEST_DONE();
}
