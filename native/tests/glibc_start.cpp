// Lets the test executables start on a glibc older than 2.34, so that scripts/test-native can run the
// ctest suite against an old glibc (Debian 11's 2.31) and show the library works there, not only
// that its symbol versions allow it to load.
//
// The start files of glibc 2.34+ call __libc_start_main@GLIBC_2.34 with no init function: the new
// libc runs the executable's constructors (.init_array) itself. The older version, which the link
// binds here instead (-Wl,--wrap=__libc_start_main), only runs the init function it is given, so this
// passes one that runs .init_array.
#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#include <cstddef>

#if defined(__x86_64__)
__asm__(".symver strata_old_libc_start_main,__libc_start_main@GLIBC_2.2.5");
#else
__asm__(".symver strata_old_libc_start_main,__libc_start_main@GLIBC_2.17");
#endif

extern "C" {
using MainFn = int (*)(int, char**, char**);
using InitFn = void (*)(int, char**, char**);
int strata_old_libc_start_main(MainFn main, int argc, char** argv, InitFn init, void (*fini)(void),
                               void (*rtld_fini)(void), void* stack_end);

extern InitFn __init_array_start[] __attribute__((visibility("hidden")));
extern InitFn __init_array_end[] __attribute__((visibility("hidden")));

static void run_init_array(int argc, char** argv, char** envp) {
  for (InitFn* f = __init_array_start; f != __init_array_end; f++) (*f)(argc, argv, envp);
}

int __wrap___libc_start_main(MainFn main, int argc, char** argv, InitFn init, void (*fini)(void),
                             void (*rtld_fini)(void), void* stack_end) {
  return strata_old_libc_start_main(main, argc, argv, init != nullptr ? init : run_init_array, fini, rtld_fini,
                                    stack_end);
}
}
#endif
