/* zkpos command line: dispatches subcommands. Each subcommand lives in its
 * own cmd_*.c file and registers in the table below. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef ZKPOS_VERSION
#define ZKPOS_VERSION "dev"
#endif

static const zk_command commands[] = {
    {"selfcheck", "check the arithmetic against known values (quick)", cmd_selfcheck},
    {"tree", "read balance-sheet CSVs, build the account tree, print its root", cmd_tree},
    {"userproof", "every user's inclusion proof (Binance v1 JSON) into the store and/or files", cmd_userproof},
    {"verify-user", "verify one user-proof JSON file (v1 or v2 layout)", cmd_verify_user},
    {"circuit-info", "print the batch circuit's constraint counts per part", cmd_circuit_info},
    {"sample", "write a synthetic balance sheet (Binance v1 CSV layout)", cmd_sample},
    {"keygen", "Groth16 setup of the batch circuit: proving and verifying keys", cmd_keygen},
    {"witness-batch", "write the batch witness files of a balance sheet", cmd_witness_batch},
    {"prove-batch", "prove one batch witness file (snarkjs JSON proof)", cmd_prove_batch},
    {"verify-batch", "verify a batch proof against its public input", cmd_verify_batch},
    {"witness", "store the batch witnesses of a balance sheet (resumable)", cmd_witness},
    {"prove", "prover worker: prove the stored batches (run several at once)", cmd_prove},
    {"publish", "write the public proof directory (proofs, key, totals, root)", cmd_publish},
    {"verify", "auditor's check of a published proof directory", cmd_verify},
    {"db", "inspect or clean a store: status, account, cex-assets, delete --all", cmd_db},
    {"groth16-prove", "like snarkjs groth16 prove: .zkey + .wtns -> proof.json, public.json", cmd_groth16_prove},
    {"groth16-import", "converts a snarkjs .zkey into zkpos's mapped proving-key file", cmd_groth16_import},
    {"groth16-verify", "like snarkjs groth16 verify: verification_key.json, public, proof", cmd_groth16_verify},
    {"run", "whole pipeline on a sample: sample, keygen, witness, prove, userproof, publish, verify", cmd_run},
};

static void usage(FILE *out) {
    fprintf(out,
            "zkpos %s - proof of solvency for exchanges (Groth16 over BN254)\n\n"
            "usage: zkpos [--version] [--help] COMMAND [ARGS]\n\ncommands:\n",
            ZKPOS_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'zkpos COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("zkpos %s\n", ZKPOS_VERSION);
        return 0;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "zkpos: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
