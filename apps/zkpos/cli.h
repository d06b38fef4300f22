/* Shared declarations of the zkpos subcommands. A subcommand gets argv with
 * argv[0] = its own name and returns the process exit status. */
#ifndef ZKPOS_CLI_H
#define ZKPOS_CLI_H
#include <stdio.h>

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} zk_command;

int cmd_selfcheck(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_userproof(int argc, char **argv);
int cmd_verify_user(int argc, char **argv);
int cmd_circuit_info(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_witness_batch(int argc, char **argv);
int cmd_prove_batch(int argc, char **argv);
int cmd_verify_batch(int argc, char **argv);
int cmd_witness(int argc, char **argv);
int cmd_prove(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_groth16_prove(int argc, char **argv);
int cmd_groth16_verify(int argc, char **argv);
int cmd_groth16_import(int argc, char **argv);

#endif
