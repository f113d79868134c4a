/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the two source files of tests/test_uncertainty. */
#ifndef TEST_UNCERTAINTY_INT_H
#define TEST_UNCERTAINTY_INT_H

#include "epv.h"

extern epv_ctx *utest_ctx;

void mc_test_moments(void);
void mc_test_approach2_vs_1(void);
void mc_test_threads_bitwise(void);
void mc_test_reproducible(void);
void mc_test_correlation(void);
void mc_test_results(void);
void mc_test_svg(void);
void mc_test_errors(void);
void mc_test_generators(void);
void mc_test_block_seeds(void);
void mc_test_threads_any(void);
void mc_test_callback_failure(void);
void mc_test_progress_cancel(void);
void mc_test_column_and_versions(void);
void mc_test_normal_sampler(void);

#define MC_TESTS                                                                                   \
    { "Monte Carlo: moments of every distribution", mc_test_moments },                            \
    { "Monte Carlo: Approach 2 converges to Approach 1 (linear)", mc_test_approach2_vs_1 },       \
    { "Monte Carlo: 1 and 2 threads bit-identical", mc_test_threads_bitwise },                    \
    { "Monte Carlo: reproducible from the seed", mc_test_reproducible },                          \
    { "Monte Carlo: correlated inputs", mc_test_correlation },                                    \
    { "Monte Carlo: percentiles and histogram", mc_test_results },                                \
    { "Monte Carlo: SVG histogram", mc_test_svg },                                                \
    { "Monte Carlo: bad input", mc_test_errors },                                                 \
    { "Monte Carlo: SplitMix64 and xoshiro256** known answers", mc_test_generators },             \
    { "Monte Carlo: block seeds never collide", mc_test_block_seeds },                            \
    { "Monte Carlo: 1 to 4 threads bit-identical", mc_test_threads_any },                         \
    { "Monte Carlo: failing callback is EPV_ECALLBACK", mc_test_callback_failure },               \
    { "Monte Carlo: progress and cancellation", mc_test_progress_cancel },                        \
    { "Monte Carlo: column, two draws, versions", mc_test_column_and_versions },                  \
    { "Monte Carlo: ziggurat normals, moments and tails", mc_test_normal_sampler }

#endif
