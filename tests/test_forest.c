#include "test_util.h"
#include "epv.h"
static void t(void){}
int main(void){ CU_TestInfo tests[] = {{"x", t}, CU_TEST_INFO_NULL}; return epv_test_main("forest", tests);}
