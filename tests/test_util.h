/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared helpers for the CUnit test programs: a main that turns failures into the exit
 * status (CUnit's own run function returns 0 even when assertions fail), relative-tolerance
 * comparisons that print both numbers, and paths into the source tree. */
#ifndef EPV_TEST_UTIL_H
#define EPV_TEST_UTIL_H

#include <CUnit/Basic.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#ifndef EPV_TOP_SRCDIR
#define EPV_TOP_SRCDIR "."
#endif

static char epv_test_msg_[1024];

/* UNDER_VALGRIND(): 1 when the program runs under valgrind, so long randomized tests take
 * fewer steps there. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif


/* |actual - expected| <= rtol * |expected| (or <= rtol when expected is 0). */
#define EPV_ASSERT_CLOSE(actual, expected, rtol)                                                   \
    do {                                                                                           \
        double a_ = (actual), e_ = (expected), r_ = (rtol);                                        \
        double tol_ = e_ != 0 ? fabs(e_) * r_ : r_;                                                \
        int ok_ = isfinite(a_) && fabs(a_ - e_) <= tol_;                                           \
        snprintf(epv_test_msg_, sizeof epv_test_msg_, "%s = %.10g, expected %.10g (rtol %g)",      \
                 #actual, a_, e_, r_);                                                             \
        CU_assertImplementation(ok_, __LINE__, epv_test_msg_, __FILE__, "", CU_FALSE);             \
    } while (0)

/* Absolute tolerance variant. */
#define EPV_ASSERT_NEAR(actual, expected, atol)                                                    \
    do {                                                                                           \
        double a_ = (actual), e_ = (expected), t_ = (atol);                                        \
        int ok_ = isfinite(a_) && fabs(a_ - e_) <= t_;                                             \
        snprintf(epv_test_msg_, sizeof epv_test_msg_, "%s = %.10g, expected %.10g (atol %g)",      \
                 #actual, a_, e_, t_);                                                             \
        CU_assertImplementation(ok_, __LINE__, epv_test_msg_, __FILE__, "", CU_FALSE);             \
    } while (0)

/* Assert a call returns the expected status; print the context's message if not. */
#define EPV_ASSERT_STATUS(ctx, call, expected)                                                     \
    do {                                                                                           \
        int s_ = (call);                                                                           \
        snprintf(epv_test_msg_, sizeof epv_test_msg_, "%s returned %d, expected %d (%s)", #call,  \
                 s_, (int)(expected), epv_ctx_errmsg(ctx));                                        \
        CU_assertImplementation(s_ == (expected), __LINE__, epv_test_msg_, __FILE__, "",          \
                                CU_FALSE);                                                         \
    } while (0)

#define EPV_ASSERT_OK(ctx, call) EPV_ASSERT_STATUS(ctx, call, 0)

/* Assert the context's error message contains a substring (errors must name the field). */
#define EPV_ASSERT_ERRMSG_HAS(ctx, needle)                                                         \
    do {                                                                                           \
        const char *m_ = epv_ctx_errmsg(ctx);                                                      \
        snprintf(epv_test_msg_, sizeof epv_test_msg_, "error message '%s' lacks '%s'", m_,         \
                 (needle));                                                                        \
        CU_assertImplementation(strstr(m_, (needle)) != NULL, __LINE__, epv_test_msg_, __FILE__,  \
                                "", CU_FALSE);                                                     \
    } while (0)

/* Path of a file in the source tree (static buffer, valid until the next call). */
static inline const char *epv_test_path(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", EPV_TOP_SRCDIR, rel);
    return buf;
}

/* Run one suite; exit status 1 if any assertion failed or no test ran. */
static inline int epv_test_main(const char *suite, CU_TestInfo *tests)
{
    if (CU_initialize_registry() != CUE_SUCCESS) return 2;
    CU_SuiteInfo suites[] = { { (char *)suite, NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failure_records();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    if (ran == 0) return 1;
    return failures ? 1 : 0;
}

#endif
