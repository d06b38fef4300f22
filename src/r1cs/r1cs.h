/* r1cs: a rank-1 constraint system builder over Fr and the gadgets of the
 * solvency circuits (booleans, range checks, full-width comparison, Poseidon,
 * Merkle paths).
 *
 * Design. The production circuit has tens of millions of constraints, so one
 * builder walks the circuit once per use and keeps only what that use needs:
 *
 *   ZK_CS_COUNT  counts constraints/variables (per label); stores nothing
 *                (circuit-info; exact sizes for zk_cs_reserve).
 *   ZK_CS_SETUP  records the sparse matrices A, B, C (CSR per matrix; a term
 *                is a u32 variable and a u32 index into a deduplicated
 *                coefficient table, 8 bytes; rows start at u64 offsets), or
 *                streams each constraint's rows to a sink without storing
 *                them (zk_cs_set_row_sink); no values.
 *   ZK_CS_PROVE  the witness solver: every variable gets its value the moment
 *                it is allocated (gadgets compute hint values natively: bits,
 *                inverses, comparisons, S-box powers), and per constraint the
 *                values <A_i,w>, <B_i,w>, <C_i,w> are recorded, so a Groth16
 *                prover needs neither matrices nor a separate solver. Every
 *                constraint is also checked (one multiplication).
 *   ZK_CS_CHECK  as PROVE but records nothing: counts the violated
 *                constraints and remembers the first one with its label path
 *                (soundness tests: a witness that breaks a constraint fails).
 *
 * Linear combinations (zk_lc) therefore carry terms only in SETUP mode and
 * only their value in PROVE/CHECK mode; in COUNT mode they are empty. A
 * gadget must never branch on either (the circuit's shape may depend on
 * sizes and constants only), which is what makes the four walks agree; the
 * tests check SETUP against PROVE row by row. The one structural fact an lc
 * carries in every mode is is_const (no variable was ever added), with its
 * value: gadgets may fold constants on it (e.g. the Poseidon S-box of a
 * constant word costs nothing). Terms of an lc may repeat a variable; rows
 * are sorted by variable and merged (zero coefficients dropped) when
 * recorded.
 *
 * Variables: index 0 is the constant 1, then the public inputs (indices
 * 1..npublic), then the private ones. All publics must be allocated before
 * the first private variable (else ZK_ERR_ARG). Errors (out of memory,
 * misuse) are sticky: calls after an error do nothing, and zk_cs_status
 * reports the first one; check it once at the end.
 *
 * Labels: zk_cs_push/zk_cs_pop maintain a small stack of gadget labels;
 * every constraint and private variable is counted once under each distinct
 * label on the stack (inclusive counts), for `zkpos circuit-info`, and a
 * failing constraint is reported with the '/'-joined stack. The gadgets
 * push "range" (zk_g_to_bits), "canonical", "le_const", "cmp", "le",
 * "poseidon" (each permutation) and "merkle".
 *
 * Hints: in PROVE/CHECK modes values are available at once (lc->val,
 * zk_cs_get), so a gadget computes a hint natively and allocates it with
 * zk_cs_private(cs, &value); in COUNT/SETUP modes it passes NULL. A test hook
 * (zk_cs_set_hint_hook) sees every private value before it is stored and may
 * replace it: that is how negative tests build a cheating witness (the later
 * values are computed from the replaced one, so exactly the constraints that
 * pin the hinted variable fail). Walks are deterministic, so a variable
 * index found in one walk names the same variable in the next; the hook can
 * also key on zk_cs_label_top(cs) and count occurrences.
 *
 * Groth16: the builder adds no constraints for the public inputs (the usual
 * "x_i * 0 = 0" rows that make the public-input polynomials independent);
 * a key generator/prover pair must add them on its side, consistently. In
 * PROVE mode the values cost 3*32 bytes per constraint plus 32 per variable
 * (vc is redundant once nfailures is 0: c_i = a_i*b_i).
 *
 * Gadget outputs may alias their inputs. Not thread-safe: one builder per
 * thread. */
#ifndef ZKPOS_R1CS_H
#define ZKPOS_R1CS_H

#include <stddef.h>
#include <stdint.h>

#include "../ff/ff.h"
#include "../util/util.h"

typedef enum { ZK_CS_COUNT = 0, ZK_CS_SETUP, ZK_CS_PROVE, ZK_CS_CHECK } zk_cs_mode;

typedef uint32_t zk_var;
#define ZK_CS_ONE ((zk_var)0) /* the constant-1 variable */

typedef struct zk_cs zk_cs;

/* ---- linear combinations ---- */
#define ZK_LC_INLINE 3
typedef struct {
    zk_var var;
    uint32_t pad_;
    fr_t c;
} zk_term;

typedef struct {
    fr_t val;          /* value in PROVE/CHECK modes; in all modes if is_const */
    uint32_t n;        /* number of terms (SETUP mode only) */
    uint32_t cap;      /* capacity of the term storage */
    uint32_t is_const; /* structural: built from constants only (all modes) */
    zk_term *heap;     /* NULL while the terms fit in inl */
    zk_term inl[ZK_LC_INLINE];
} zk_lc;

/* An lc must be initialised once (to 0) and freed when done (frees spilled
 * terms; no-op for small ones). Every other function overwrites or extends
 * an initialised lc; coefficient pointers may be NULL for 1. Aliasing of r
 * with an input lc is allowed. */
void zk_lc_init(zk_lc *r);
void zk_lc_free(zk_lc *r);
void zk_lc_clear(zk_lc *r); /* r = 0, keeping its storage */
void zk_lc_set_var(zk_cs *cs, zk_lc *r, zk_var v);                             /* r = v */
void zk_lc_set_const(zk_cs *cs, zk_lc *r, const fr_t *k);                      /* r = k */
void zk_lc_copy(zk_cs *cs, zk_lc *r, const zk_lc *a);                          /* r = a */
void zk_lc_add_var(zk_cs *cs, zk_lc *r, const fr_t *k, zk_var v);              /* r += k v */
void zk_lc_sub_var(zk_cs *cs, zk_lc *r, zk_var v);                             /* r -= v */
void zk_lc_add_const(zk_cs *cs, zk_lc *r, const fr_t *k);                      /* r += k */
void zk_lc_add(zk_cs *cs, zk_lc *r, const fr_t *k, const zk_lc *a);            /* r += k a */
void zk_lc_sub(zk_cs *cs, zk_lc *r, const zk_lc *a);                           /* r -= a */
void zk_lc_scale(zk_cs *cs, zk_lc *r, const fr_t *k);                          /* r *= k */

/* ---- the builder ---- */
zk_cs *zk_cs_new(zk_cs_mode mode); /* NULL if out of memory */
void zk_cs_free(zk_cs *cs);
zk_cs_mode zk_cs_get_mode(const zk_cs *cs);
/* 1 in PROVE/CHECK modes (values are computed), 0 otherwise. */
int zk_cs_has_values(const zk_cs *cs);
/* First error met (sticky), ZK_OK if none. */
ZK_WUR zk_err zk_cs_status(const zk_cs *cs);
/* Pre-sizes the stores (e.g. with the exact counts of a COUNT walk) so that
 * huge circuits do not pay for growth by doubling. */
ZK_WUR zk_err zk_cs_reserve(zk_cs *cs, uint64_t nconstraints, uint64_t nvars);

/* Allocation. value is the variable's value in PROVE/CHECK modes (required
 * there) and ignored otherwise (may be NULL). Returns the variable index. */
zk_var zk_cs_public(zk_cs *cs, const fr_t *value);
zk_var zk_cs_private(zk_cs *cs, const fr_t *value);
/* out = value of v (PROVE/CHECK modes; zero otherwise). */
void zk_cs_get(const zk_cs *cs, fr_t *out, zk_var v);
/* The constant-1 lc (value 1, term 1*ONE). */
const zk_lc *zk_cs_lc_one(const zk_cs *cs);

/* Constraints. */
void zk_cs_mul(zk_cs *cs, const zk_lc *a, const zk_lc *b, const zk_lc *c); /* a*b = c (c NULL: 0) */
void zk_cs_eq(zk_cs *cs, const zk_lc *a, const zk_lc *b);                  /* a*1 = b */
/* New private v = a*b with the constraint a*b = v (1 constraint). */
zk_var zk_cs_mul_new(zk_cs *cs, const zk_lc *a, const zk_lc *b);
/* New private v = a with the constraint a*1 = v (1 constraint). */
zk_var zk_cs_materialize(zk_cs *cs, const zk_lc *a);

/* Labels. The stack holds up to ZK_CS_MAX_DEPTH entries and the builder up
 * to ZK_CS_MAX_LABELS distinct names (at most 31 characters are kept). */
#define ZK_CS_MAX_DEPTH 24
#define ZK_CS_MAX_LABELS 256
void zk_cs_push(zk_cs *cs, const char *label);
void zk_cs_pop(zk_cs *cs);
const char *zk_cs_label_top(const zk_cs *cs); /* "" at the root */
typedef struct {
    const char *name;
    uint64_t constraints; /* inclusive: counted once per constraint made while on the stack */
    uint64_t privates;    /* private variables allocated while on the stack */
    uint64_t calls;       /* pushes */
} zk_cs_label_stats;
size_t zk_cs_nlabels(const zk_cs *cs);
void zk_cs_label_get(const zk_cs *cs, zk_cs_label_stats *out, size_t i); /* in order of first push */

/* Test hook: called in PROVE/CHECK modes for each private variable with its
 * index and honest value, which it may overwrite. NULL removes it. */
typedef void (*zk_cs_hint_hook)(void *ctx, const zk_cs *cs, zk_var v, fr_t *value);
void zk_cs_set_hint_hook(zk_cs *cs, zk_cs_hint_hook fn, void *ctx);

/* Sizes: constraints, variables (including ONE), public inputs. */
uint64_t zk_cs_nconstraints(const zk_cs *cs);
uint64_t zk_cs_nvars(const zk_cs *cs);
uint64_t zk_cs_npublic(const zk_cs *cs);

/* PROVE/CHECK: number of violated constraints; the first one's index and
 * label path (returns 0 and leaves the outputs alone if none failed). */
uint64_t zk_cs_nfailures(const zk_cs *cs);
int zk_cs_first_failure(const zk_cs *cs, uint64_t *index, const char **label_path);

/* SETUP: matrix m (0 = A, 1 = B, 2 = C) in CSR form: row i is
 * terms[row_start[i] .. row_start[i+1]), sorted by variable, no duplicates,
 * no zero coefficients; coefficient of a term = coeffs[term.coeff]. */
typedef struct {
    uint32_t var;
    uint32_t coeff;
} zk_cs_term;
void zk_cs_matrix(const zk_cs *cs, int m, const uint64_t **row_start, const zk_cs_term **terms);
const fr_t *zk_cs_coeffs(const zk_cs *cs, size_t *n);
/* SETUP, streaming: with a sink set, each constraint's three rows (same
 * form as above; coeffs is the coefficient table as of this call) go to fn
 * as the constraint is made, and no matrix is stored (zk_cs_matrix then
 * gives NULL). Lets a key generator consume huge circuits with memory
 * proportional to the variables only. Set it before the first constraint. */
typedef void (*zk_cs_row_sink)(void *ctx, uint64_t index, const zk_cs_term *const rows[3], const uint32_t lens[3],
                               const fr_t *coeffs);
void zk_cs_set_row_sink(zk_cs *cs, zk_cs_row_sink fn, void *ctx);

/* PROVE: per-constraint values (nconstraints each) and the witness (nvars
 * values; w[0] = 1, then the publics). CHECK keeps the witness only. Pointers
 * are valid until the next allocation or constraint. */
void zk_cs_abc(const zk_cs *cs, const fr_t **a, const fr_t **b, const fr_t **c);
const fr_t *zk_cs_witness(const zk_cs *cs);

/* ======================= gadgets ======================= *
 * Constraint counts are exact and do not depend on values. Bits are LSB
 * first. */

/* b*(1-b) = 0. 1 constraint. */
void zk_g_assert_bool(zk_cs *cs, const zk_lc *b);
/* New boolean private variable. 1 constraint. */
zk_var zk_g_new_bit(zk_cs *cs, const fr_t *value);

/* Decomposes x into n bits (1 <= n <= 253): n booleans and sum 2^i b_i = x.
 * n + 1 constraints, n variables. The honest hint uses the low n bits of x;
 * if x >= 2^n the sum constraint fails. bits may be NULL (range check only). */
void zk_g_to_bits(zk_cs *cs, zk_var *bits, const zk_lc *x, unsigned n);
#define zk_g_range(cs, x, n) zk_g_to_bits((cs), NULL, (x), (n))

/* Asserts that the n-bit integer sum 2^i bits[i] is <= k (k: 4 little-endian
 * limbs; k >= 2^n makes it trivially true). The bits must be boolean
 * (constrained elsewhere), as for every comparison below. Bitwise from the top, a "prefix equal" flag t: at a 1-bit
 * of k, t' = t*b (1 constraint); a run of 0-bits of k is checked at once by
 * t * (sum of the run's bits) = 0 (1 constraint per run). Nothing is needed
 * below the lowest 0-bit of k. For k = r-1 (254 bits) this is
 * ZK_G_LE_RM1_CONSTRAINTS. */
void zk_g_assert_bits_le_const(zk_cs *cs, const zk_var *bits, unsigned n, const uint64_t k[4]);

/* Canonical 254-bit decomposition: the bits as an integer are x's canonical
 * value (<= r-1). 254 booleans + 1 sum + the comparison with r-1:
 * ZK_G_CANONICAL_CONSTRAINTS in all. */
void zk_g_to_bits_canonical(zk_cs *cs, zk_var bits[254], const zk_lc *x);

/* out = [A <= B] for n-bit integers A, B given by their bits (n <= 254).
 * For n <= 252: D = B - A + 2^n in [1, 2^(n+1)) is decomposed into n+1 bits
 * and out = its bit n (n + 2 constraints). For n > 252 the numbers are split
 * into a high and a low half of h = n - n/2 and n/2 bits, [A_hi < B_hi] and
 * [A_lo <= B_lo] are obtained the same way, [A_hi == B_hi] with an inverse
 * (2 constraints), and out = lt_hi + eq_hi*le_lo (1 constraint):
 * (h+2) + (n/2+2) + 2 + 1 constraints (261 for n = 254). out is a boolean lc. */
void zk_g_bits_le(zk_cs *cs, zk_lc *out, const zk_var *a_bits, const zk_var *b_bits, unsigned n);
/* Asserts A <= B. n <= 252: B - A is an n-bit number (n + 1 constraints).
 * n > 252: A_hi <= B_hi that way, plus le_lo and eq_hi as above and
 * eq_hi * (1 - le_lo) = 0: n + 6 constraints (260 for n = 254). */
void zk_g_assert_bits_le(zk_cs *cs, const zk_var *a_bits, const zk_var *b_bits, unsigned n);

/* Full-width comparison of field elements as canonical integers (spec §7
 * item 4): two canonical decompositions and a 254-bit comparison.
 * zk_g_le: out = [a <= b] (boolean lc), ZK_G_LE_CONSTRAINTS = 1075;
 * zk_g_assert_le: asserts a <= b, ZK_G_ASSERT_LE_CONSTRAINTS = 1074. */
void zk_g_le(zk_cs *cs, zk_lc *out, const zk_lc *a, const zk_lc *b);
void zk_g_assert_le(zk_cs *cs, const zk_lc *a, const zk_lc *b);

/* Conditional swap by a boolean variable: (l, r) = bit ? (y, x) : (x, y).
 * d = bit*(y-x); l = x + d; r = y - d. 1 constraint (bit must be boolean,
 * not checked here). l, r may alias x, y. */
void zk_g_cswap(zk_cs *cs, zk_lc *l, zk_lc *r, zk_var bit, const zk_lc *x, const zk_lc *y);

/* [a == b] as a boolean lc: m = (a-b)*inv, (a-b)*(1-m) = 0; out = 1-m.
 * 2 constraints. */
void zk_g_is_equal(zk_cs *cs, zk_lc *out, const zk_lc *a, const zk_lc *b);

/* Poseidon permutation of width t (2..17) on state[0..t), in place, equal to
 * poseidon_permute. Each x^5 S-box is 3 constraints (x2 = x*x, x4 = x2*x2,
 * y = x4*x); the linear layers are linear combinations. The partial rounds
 * use a per-width plan (computed once per builder) that writes each S-box
 * input directly over the previous S-box outputs, so lcs stay at t + round
 * terms. 3*(8t + RP) constraints: t=3: 243, t=5: 300, t=17: 612, less 3
 * for each S-box whose input is a constant lc (is_const), which is computed
 * natively: a word that is constant on entry saves 3 (e.g. the 0 in word 0
 * of a 2-to-1 hash), an all-constant state costs nothing. The outputs are
 * lcs over the last round's S-box outputs. */
void zk_g_poseidon_permute(zk_cs *cs, zk_lc *state, unsigned t);
/* Constraints of one width-t permutation (0 if t is out of range). */
uint64_t zk_g_poseidon_constraints(unsigned t);

/* Binance variable-length hash (spec §2.2) of in[0..n), chunk 16 (v1) or 12
 * (v2): chunks through width chunk+1, word 0 chained, output word 1 of the
 * last permutation. n >= 1 (else ZK_ERR_ARG). */
void zk_g_poseidon_hash(zk_cs *cs, zk_lc *out, const zk_lc *in, size_t n, unsigned chunk);

/* Merkle path (spec §3.4): node = leaf; for k = 0..depth-1:
 * node = H(node, sib[k]) if bit k is 0 else H(sib[k], node), H = the
 * 2-input hash (width 3, word 1). The bits must be booleans (e.g. from
 * zk_g_to_bits of the index; not checked here). Per level 1 (swap) + 240
 * (permutation of [0, l, r]: word 0 is the constant 0) constraints:
 * ZK_G_MERKLE28_CONSTRAINTS = 6748 for depth 28. The same siblings and bits serve
 * the "before" (empty leaf) and "after" roots of an insertion. */
void zk_g_merkle_root(zk_cs *cs, zk_lc *root, const zk_lc *leaf, const zk_var *siblings, const zk_var *bits,
                      unsigned depth);

#define ZK_G_LE_RM1_CONSTRAINTS 152u /* bits <= r-1 (254 bits): 99 one-bits after the top + 53 zero runs */
#define ZK_G_CANONICAL_CONSTRAINTS (254u + 1u + ZK_G_LE_RM1_CONSTRAINTS) /* 407 */
#define ZK_G_LE254_CONSTRAINTS 261u        /* zk_g_bits_le, n = 254 */
#define ZK_G_ASSERT_LE254_CONSTRAINTS 260u /* zk_g_assert_bits_le, n = 254 */
#define ZK_G_LE_CONSTRAINTS (2u * ZK_G_CANONICAL_CONSTRAINTS + ZK_G_LE254_CONSTRAINTS)               /* 1075 */
#define ZK_G_ASSERT_LE_CONSTRAINTS (2u * ZK_G_CANONICAL_CONSTRAINTS + ZK_G_ASSERT_LE254_CONSTRAINTS) /* 1074 */
#define ZK_G_MERKLE28_CONSTRAINTS (28u * 241u)

#endif
