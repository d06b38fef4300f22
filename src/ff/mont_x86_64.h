/* Internal: x86-64 fast paths (BMI2 mulx + ADX adcx/adox) for the 4x64-limb
 * Montgomery core of mont.h. Included by mont.h only when the compiler
 * targets ADX and BMI2; mont.h's dispatchers pick these over the portable C.
 *
 * Why inline asm: GCC turns the unsigned __int128 CIOS loop into serial
 * add/adc chains with flag spills; mulx leaves the flags alone and adcx/adox
 * carry through CF and OF independently, so two carry chains (low and high
 * halves of the partial products) run interleaved. The modulus is a pointer
 * operand and n0 a value, so one routine serves Fp and Fr; outputs are
 * registers stored by C afterwards, so r may alias a or b. Everything is
 * branch-free (cmov for the final subtraction): constant time.
 *
 * Bounds ("no final carry" CIOS; needs m < 2^254, true for both BN254 moduli).
 * mont_mul_adx scans a word by word (rdx = a[i]) against the whole of b.
 * With T_0 = 0 and T_i = (T_{i-1} + a_i*b + q_i*m) / 2^64:
 *   if T_{i-1} < b + m then T_{i-1} + a_i*b + q_i*m < 2^64 (b + m), so
 *   T_i < b + m again, and the unshifted sum fits in 5 words.
 * Hence as long as b + m <= 2^256 (any b <= 2^256 - m, e.g. b < 2m) every T_i
 * fits in 4 words and the 5th word of each row never carries out: no 6th
 * word and no extra carry flag are needed. The result
 *   T_4 = (a*b + Q*m) / 2^256 < a*b/2^256 + m
 * is below 2m, so one conditional subtraction gives a value < m, whenever
 * a*b < m*2^256. That covers
 *   - a, b < m (field elements);
 *   - a < 2^256 arbitrary, b < m: the conversions mont_mul(v, R2 / R3 / 1)
 *     in from_u256_reduce, from_bytes_be_reduce, set_u64, to_u256 and
 *     inv_var pass the unreduced value as a, the constant as b;
 *   - a, b < 2m (lazy-reduced sums): 4m^2/2^256 < m because 4m < 2^256.
 * Contract: b + m <= 2^256 (else a row overflows) and a*b < m*2^256 (else
 * the result may be >= m). The portable mont_mul_portable scans a the same
 * way and has the same contract.
 *
 * mont_sqr_adx computes the 512-bit square (6 cross products doubled plus 4
 * diagonal ones: 10 mulx instead of 16) and then Montgomery-reduces its low
 * half: L = a^2 mod 2^256 gives (L + Q*m) / 2^256 <= m, to which the high
 * half H = floor(a^2 / 2^256) < 4m^2/2^256 < m is added; the sum is < 2m and
 * congruent to a^2 / 2^256, so again one subtraction finishes. Valid for
 * a < 2m.
 *
 * Cost: a product is 32 mulx (ports 1+5) and ~74 adcx/adox/adc/sbb/cmov,
 * which Intel cores run on ports 0 and 6 only, so about 37 cycles of
 * throughput is the floor for this instruction mix; the measured figure is
 * ~39 cycles (bench_arith fp_mul_indep8). Latency is ~50 cycles: the four
 * quotients q_i = T0*n0 are serial (imul, mulx, two adds each). The square
 * saves 6 mulx and gets ~10% more throughput, the same latency.
 *
 * mont_add/sub/neg_x86: GCC vectorises the portable mask-select loops into
 * AVX moves and spills; short add/sbb/cmov sequences are several times faster
 * in the elliptic-curve formulas where they sit between multiplications. */
#ifndef ZKPOS_FF_MONT_X86_64_H
#define ZKPOS_FF_MONT_X86_64_H

#include <stdint.h>

/* The asm reads the limbs behind its pointer operands. Optimised builds say
 * so precisely with dummy memory inputs (GCC may keep other values in
 * registers across the asm); at -O0 each of those would take a register of
 * its own and the sqr would run out, so a "memory" clobber is used instead. */
#ifdef __OPTIMIZE__
#define MX_MEM4(p) , "m"(*(const uint64_t(*)[4])(p))
#define MX_CLOBBERS "cc"
#else
#define MX_MEM4(p)
#define MX_CLOBBERS "cc", "memory"
#endif

/* One multiplication row: (T4..T0) += a[OFF/8] * b, with T4 == 0 on entry
 * (the register the previous reduction zeroed, used here as the zero operand
 * for the final carries). lo words on the OF chain, hi words on the CF chain. */
#define MX_ROW(OFF, T0, T1, T2, T3, T4)          \
    "xorl %k[lo], %k[lo]\n\t"                    \
    "movq " #OFF "(%[a]), %%rdx\n\t"             \
    "mulxq 0(%[b]), %[lo], %[hi]\n\t"            \
    "adoxq %[lo], %[" #T0 "]\n\t"                \
    "adcxq %[hi], %[" #T1 "]\n\t"                \
    "mulxq 8(%[b]), %[lo], %[hi]\n\t"            \
    "adoxq %[lo], %[" #T1 "]\n\t"                \
    "adcxq %[hi], %[" #T2 "]\n\t"                \
    "mulxq 16(%[b]), %[lo], %[hi]\n\t"           \
    "adoxq %[lo], %[" #T2 "]\n\t"                \
    "adcxq %[hi], %[" #T3 "]\n\t"                \
    "mulxq 24(%[b]), %[lo], %[hi]\n\t"           \
    "adoxq %[lo], %[" #T3 "]\n\t"                \
    "adcxq %[" #T4 "], %[hi]\n\t"                \
    "adoxq %[" #T4 "], %[hi]\n\t"                \
    "movq %[hi], %[" #T4 "]\n\t"

/* One reduction step: q = T0*n0, (T4..T0) += q*m; T0 becomes 0 (and serves
 * as the zero operand) and the value divided by 2^64 is (T4..T1).
 * lo words on CF, hi words on OF. */
#define MX_RED(T0, T1, T2, T3, T4)               \
    "movq %[" #T0 "], %%rdx\n\t"                 \
    "imulq %[n0], %%rdx\n\t"                     \
    "xorl %k[lo], %k[lo]\n\t"                    \
    "mulxq 0(%[m]), %[lo], %[hi]\n\t"            \
    "adcxq %[lo], %[" #T0 "]\n\t"                \
    "adoxq %[hi], %[" #T1 "]\n\t"                \
    "mulxq 8(%[m]), %[lo], %[hi]\n\t"            \
    "adcxq %[lo], %[" #T1 "]\n\t"                \
    "adoxq %[hi], %[" #T2 "]\n\t"                \
    "mulxq 16(%[m]), %[lo], %[hi]\n\t"           \
    "adcxq %[lo], %[" #T2 "]\n\t"                \
    "adoxq %[hi], %[" #T3 "]\n\t"                \
    "mulxq 24(%[m]), %[lo], %[hi]\n\t"           \
    "adcxq %[lo], %[" #T3 "]\n\t"                \
    "adoxq %[hi], %[" #T4 "]\n\t"                \
    "adcxq %[" #T0 "], %[" #T4 "]\n\t"

/* r = a*b/2^256 mod m, fully reduced; bounds in the note above. */
static inline void mont_mul_adx(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                const uint64_t m[4], uint64_t n0) {
    uint64_t t0, t1, t2, t3, t4, lo, hi;
    __asm__(
        /* row 0 on an empty accumulator: a single carry chain */
        "movq 0(%[a]), %%rdx\n\t"
        "mulxq 0(%[b]), %[t0], %[t1]\n\t"
        "mulxq 8(%[b]), %[lo], %[t2]\n\t"
        "addq %[lo], %[t1]\n\t"
        "mulxq 16(%[b]), %[lo], %[t3]\n\t"
        "adcq %[lo], %[t2]\n\t"
        "mulxq 24(%[b]), %[lo], %[t4]\n\t"
        "adcq %[lo], %[t3]\n\t"
        "adcq $0, %[t4]\n\t"
        MX_RED(t0, t1, t2, t3, t4)
        MX_ROW(8, t1, t2, t3, t4, t0)
        MX_RED(t1, t2, t3, t4, t0)
        MX_ROW(16, t2, t3, t4, t0, t1)
        MX_RED(t2, t3, t4, t0, t1)
        MX_ROW(24, t3, t4, t0, t1, t2)
        MX_RED(t3, t4, t0, t1, t2)
        /* (t2,t1,t0,t4) < 2m: subtract m unless that borrows */
        "movq %[t4], %[lo]\n\t"
        "subq 0(%[m]), %[lo]\n\t"
        "movq %[t0], %[hi]\n\t"
        "sbbq 8(%[m]), %[hi]\n\t"
        "movq %[t1], %[t3]\n\t"
        "sbbq 16(%[m]), %[t3]\n\t"
        "movq %[t2], %%rdx\n\t"
        "sbbq 24(%[m]), %%rdx\n\t"
        "cmovncq %[lo], %[t4]\n\t"
        "cmovncq %[hi], %[t0]\n\t"
        "cmovncq %[t3], %[t1]\n\t"
        "cmovncq %%rdx, %[t2]\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
          [lo] "=&r"(lo), [hi] "=&r"(hi)
        : [a] "r"(a), [b] "r"(b), [m] "r"(m), [n0] "rm"(n0) MX_MEM4(a) MX_MEM4(b) MX_MEM4(m)
        : "rdx", MX_CLOBBERS);
    (void)t3; (void)lo; (void)hi;
    r[0] = t4;
    r[1] = t0;
    r[2] = t1;
    r[3] = t2;
}

/* Reduction step for the square's low half: (T3..T0) + q*m, divided by 2^64,
 * lands in (T0,T3,T2,T1) with the new top word in T0 (fits: see note). */
#define MX_RED4(T0, T1, T2, T3)                  \
    "movq %[" #T0 "], %%rdx\n\t"                 \
    "imulq %[n0], %%rdx\n\t"                     \
    "xorl %k[lo], %k[lo]\n\t"                    \
    "mulxq 0(%[m]), %[lo], %[hi]\n\t"            \
    "adcxq %[lo], %[" #T0 "]\n\t"                \
    "adoxq %[hi], %[" #T1 "]\n\t"                \
    "mulxq 8(%[m]), %[lo], %[hi]\n\t"            \
    "adcxq %[lo], %[" #T1 "]\n\t"                \
    "adoxq %[hi], %[" #T2 "]\n\t"                \
    "mulxq 16(%[m]), %[lo], %[hi]\n\t"           \
    "adcxq %[lo], %[" #T2 "]\n\t"                \
    "adoxq %[hi], %[" #T3 "]\n\t"                \
    "mulxq 24(%[m]), %[lo], %[hi]\n\t"           \
    "adcxq %[lo], %[" #T3 "]\n\t"                \
    "adoxq %[" #T0 "], %[hi]\n\t"                \
    "adcxq %[" #T0 "], %[hi]\n\t"                \
    "movq %[hi], %[" #T0 "]\n\t"

/* r = a^2/2^256 mod m, fully reduced, for a < 2m. Two asm statements (the
 * 512-bit square, then the reduction) so that each needs few enough
 * registers for sanitizer and -O0 builds; nothing is carried in the flags
 * from one to the other. */
static inline void mont_sqr_adx(uint64_t r[4], const uint64_t a[4], const uint64_t m[4],
                                uint64_t n0) {
    uint64_t w0, w1, w2, w3, w4, w5, w6, w7, lo, hi, t;
    __asm__(
        /* cross products a_i*a_j (i<j) into w1..w6, two serial chains */
        "movq 0(%[a]), %%rdx\n\t"
        "mulxq 8(%[a]), %[w1], %[w2]\n\t"
        "mulxq 16(%[a]), %[lo], %[w3]\n\t"
        "addq %[lo], %[w2]\n\t"
        "mulxq 24(%[a]), %[lo], %[w4]\n\t"
        "adcq %[lo], %[w3]\n\t"
        "movq 8(%[a]), %%rdx\n\t"
        "mulxq 24(%[a]), %[lo], %[w5]\n\t"
        "adcq %[lo], %[w4]\n\t"
        "adcq $0, %[w5]\n\t"
        "mulxq 16(%[a]), %[lo], %[hi]\n\t"
        "addq %[lo], %[w3]\n\t"
        "adcq %[hi], %[w4]\n\t"
        "movq 16(%[a]), %%rdx\n\t"
        "mulxq 24(%[a]), %[lo], %[w6]\n\t"
        "adcq %[lo], %[w5]\n\t"
        "adcq $0, %[w6]\n\t"
        /* double them (OF chain) while adding the squares a_i^2 (CF chain) */
        "xorl %k[w7], %k[w7]\n\t"
        "movq 0(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %[w0], %[hi]\n\t"
        "adoxq %[w1], %[w1]\n\t"
        "adcxq %[hi], %[w1]\n\t"
        "movq 8(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        "adoxq %[w2], %[w2]\n\t"
        "adcxq %[lo], %[w2]\n\t"
        "adoxq %[w3], %[w3]\n\t"
        "adcxq %[hi], %[w3]\n\t"
        "movq 16(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        "adoxq %[w4], %[w4]\n\t"
        "adcxq %[lo], %[w4]\n\t"
        "adoxq %[w5], %[w5]\n\t"
        "adcxq %[hi], %[w5]\n\t"
        "movq 24(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %[lo], %[hi]\n\t"
        "adoxq %[w6], %[w6]\n\t"
        "adcxq %[lo], %[w6]\n\t"
        "adoxq %[w7], %[w7]\n\t"
        "adcxq %[hi], %[w7]\n\t"
        : [w0] "=&r"(w0), [w1] "=&r"(w1), [w2] "=&r"(w2), [w3] "=&r"(w3), [w4] "=&r"(w4),
          [w5] "=&r"(w5), [w6] "=&r"(w6), [w7] "=&r"(w7), [lo] "=&r"(lo), [hi] "=&r"(hi)
        : [a] "r"(a) MX_MEM4(a)
        : "rdx", MX_CLOBBERS);
    __asm__(
        /* reduce the low half: four steps rotate (w3..w0) back into place */
        MX_RED4(w0, w1, w2, w3)
        MX_RED4(w1, w2, w3, w0)
        MX_RED4(w2, w3, w0, w1)
        MX_RED4(w3, w0, w1, w2)
        /* add the high half (sum < 2m), then subtract m unless that borrows */
        "addq %[w4], %[w0]\n\t"
        "adcq %[w5], %[w1]\n\t"
        "adcq %[w6], %[w2]\n\t"
        "adcq %[w7], %[w3]\n\t"
        "movq %[w0], %[lo]\n\t"
        "subq 0(%[m]), %[lo]\n\t"
        "movq %[w1], %[hi]\n\t"
        "sbbq 8(%[m]), %[hi]\n\t"
        "movq %[w2], %[t]\n\t"
        "sbbq 16(%[m]), %[t]\n\t"
        "movq %[w3], %%rdx\n\t"
        "sbbq 24(%[m]), %%rdx\n\t"
        "cmovncq %[lo], %[w0]\n\t"
        "cmovncq %[hi], %[w1]\n\t"
        "cmovncq %[t], %[w2]\n\t"
        "cmovncq %%rdx, %[w3]\n\t"
        : [w0] "+&r"(w0), [w1] "+&r"(w1), [w2] "+&r"(w2), [w3] "+&r"(w3),
          [lo] "=&r"(lo), [hi] "=&r"(hi), [t] "=&r"(t)
        : [w4] "rm"(w4), [w5] "rm"(w5), [w6] "rm"(w6), [w7] "rm"(w7), [m] "r"(m),
          [n0] "rm"(n0) MX_MEM4(m)
        : "rdx", MX_CLOBBERS);
    (void)lo; (void)hi; (void)t;
    r[0] = w0;
    r[1] = w1;
    r[2] = w2;
    r[3] = w3;
}

/* r = a + b mod m for a + b < 2m (no carry out of 256 bits since m < 2^255). */
static inline void mont_add_x86(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                const uint64_t m[4]) {
    uint64_t t0, t1, t2, t3, u0, u1, u2, u3;
    __asm__(
        "movq 0(%[a]), %[t0]\n\t"
        "addq 0(%[b]), %[t0]\n\t"
        "movq 8(%[a]), %[t1]\n\t"
        "adcq 8(%[b]), %[t1]\n\t"
        "movq 16(%[a]), %[t2]\n\t"
        "adcq 16(%[b]), %[t2]\n\t"
        "movq 24(%[a]), %[t3]\n\t"
        "adcq 24(%[b]), %[t3]\n\t"
        "movq %[t0], %[u0]\n\t"
        "subq 0(%[m]), %[u0]\n\t"
        "movq %[t1], %[u1]\n\t"
        "sbbq 8(%[m]), %[u1]\n\t"
        "movq %[t2], %[u2]\n\t"
        "sbbq 16(%[m]), %[u2]\n\t"
        "movq %[t3], %[u3]\n\t"
        "sbbq 24(%[m]), %[u3]\n\t"
        "cmovncq %[u0], %[t0]\n\t"
        "cmovncq %[u1], %[t1]\n\t"
        "cmovncq %[u2], %[t2]\n\t"
        "cmovncq %[u3], %[t3]\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
          [u0] "=&r"(u0), [u1] "=&r"(u1), [u2] "=&r"(u2), [u3] "=&r"(u3)
        : [a] "r"(a), [b] "r"(b), [m] "r"(m) MX_MEM4(a) MX_MEM4(b) MX_MEM4(m)
        : MX_CLOBBERS);
    (void)u0; (void)u1; (void)u2; (void)u3;
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
}

/* r = a - b mod m for a, b < m: subtract, then add m masked by the borrow. */
static inline void mont_sub_x86(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                const uint64_t m[4]) {
    uint64_t t0, t1, t2, t3, u0, u1, u2, u3;
    __asm__(
        "movq 0(%[a]), %[t0]\n\t"
        "subq 0(%[b]), %[t0]\n\t"
        "movq 8(%[a]), %[t1]\n\t"
        "sbbq 8(%[b]), %[t1]\n\t"
        "movq 16(%[a]), %[t2]\n\t"
        "sbbq 16(%[b]), %[t2]\n\t"
        "movq 24(%[a]), %[t3]\n\t"
        "sbbq 24(%[b]), %[t3]\n\t"
        "sbbq %[u3], %[u3]\n\t" /* all ones iff a < b */
        "movq 0(%[m]), %[u0]\n\t"
        "andq %[u3], %[u0]\n\t"
        "movq 8(%[m]), %[u1]\n\t"
        "andq %[u3], %[u1]\n\t"
        "movq 16(%[m]), %[u2]\n\t"
        "andq %[u3], %[u2]\n\t"
        "andq 24(%[m]), %[u3]\n\t"
        "addq %[u0], %[t0]\n\t"
        "adcq %[u1], %[t1]\n\t"
        "adcq %[u2], %[t2]\n\t"
        "adcq %[u3], %[t3]\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
          [u0] "=&r"(u0), [u1] "=&r"(u1), [u2] "=&r"(u2), [u3] "=&r"(u3)
        : [a] "r"(a), [b] "r"(b), [m] "r"(m) MX_MEM4(a) MX_MEM4(b) MX_MEM4(m)
        : MX_CLOBBERS);
    (void)u0; (void)u1; (void)u2; (void)u3;
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
}

/* r = -a mod m for a < m (0 stays 0): m - a, masked to zero when a == 0. */
static inline void mont_neg_x86(uint64_t r[4], const uint64_t a[4], const uint64_t m[4]) {
    uint64_t t0, t1, t2, t3, k;
    __asm__(
        "movq 0(%[a]), %[k]\n\t"
        "orq 8(%[a]), %[k]\n\t"
        "orq 16(%[a]), %[k]\n\t"
        "orq 24(%[a]), %[k]\n\t"
        "negq %[k]\n\t"         /* CF = (a != 0) */
        "sbbq %[k], %[k]\n\t"   /* all ones iff a != 0 */
        "movq 0(%[m]), %[t0]\n\t"
        "subq 0(%[a]), %[t0]\n\t"
        "movq 8(%[m]), %[t1]\n\t"
        "sbbq 8(%[a]), %[t1]\n\t"
        "movq 16(%[m]), %[t2]\n\t"
        "sbbq 16(%[a]), %[t2]\n\t"
        "movq 24(%[m]), %[t3]\n\t"
        "sbbq 24(%[a]), %[t3]\n\t"
        "andq %[k], %[t0]\n\t"
        "andq %[k], %[t1]\n\t"
        "andq %[k], %[t2]\n\t"
        "andq %[k], %[t3]\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [k] "=&r"(k)
        : [a] "r"(a), [m] "r"(m) MX_MEM4(a) MX_MEM4(m)
        : MX_CLOBBERS);
    (void)k;
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
}

#undef MX_ROW
#undef MX_RED
#undef MX_RED4
#undef MX_MEM4
#undef MX_CLOBBERS

#endif
