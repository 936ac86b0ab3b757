// Keeps libstrata.so loadable on glibc 2.28 although it is built on a newer one (Debian 12: 2.36).
//
// The linker binds each libc symbol to the newest version the build machine's glibc has. A few of
// the symbols our code, the static libstdc++ and libgcc_eh use got a new version after 2.28, so the
// library would refuse to load on RHEL 8 / Amazon Linux 2023 ("version GLIBC_2.34 not found"). The
// link redirects every reference to them (-Wl,--wrap=X, cmake/StrataGlibcCompat.cmake sends X to
// __wrap_X) to the functions below, which call the old version of the same function (.symver) or
// replace it. scripts/check-native-abi fails the build when a newer version creeps back in.
//
//   log@2.29               -> log@2.2.5 (2.29 dropped the errno wrapper; same values)
//   fstat, fstat64@2.33    -> __fxstat, __fxstat64@2.2.5 (before 2.33 fstat was an inline over these)
//   pthread_*@2.34         -> pthread_*@2.2.5 (2.34 moved libpthread into libc and gave them new versions;
//                             before, libpthread.so.0 defines them: it is a DT_NEEDED of the library)
//   __libc_single_threaded@2.32 -> a flag that is always 0 (libstdc++ then always uses atomics)
//   _dl_find_object@2.35   -> dl_iterate_phdr (libgcc's unwinder looks up .eh_frame_hdr through it)
#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#define STRATA_GLIBC_BASE "GLIBC_2.2.5"
#define STRATA_STAT_VER 1  // _STAT_VER_LINUX on x86-64
#else
#define STRATA_GLIBC_BASE "GLIBC_2.17"
#define STRATA_STAT_VER 0  // _STAT_VER on the generic (aarch64) layout
#endif

#define STRATA_OLD(local, symbol) __asm__(".symver " #local "," #symbol "@" STRATA_GLIBC_BASE)

STRATA_OLD(strata_old_log, log);
STRATA_OLD(strata_old_fxstat, __fxstat);
STRATA_OLD(strata_old_fxstat64, __fxstat64);
STRATA_OLD(strata_old_pthread_create, pthread_create);
STRATA_OLD(strata_old_pthread_join, pthread_join);
STRATA_OLD(strata_old_pthread_once, pthread_once);
STRATA_OLD(strata_old_pthread_key_create, __pthread_key_create);
STRATA_OLD(strata_old_pthread_rwlock_rdlock, pthread_rwlock_rdlock);
STRATA_OLD(strata_old_pthread_rwlock_wrlock, pthread_rwlock_wrlock);
STRATA_OLD(strata_old_pthread_rwlock_unlock, pthread_rwlock_unlock);

#define STRATA_HIDDEN __attribute__((visibility("hidden")))

extern "C" {

double strata_old_log(double);
int strata_old_fxstat(int, int, struct stat*);
int strata_old_fxstat64(int, int, struct stat64*);
int strata_old_pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
int strata_old_pthread_join(pthread_t, void**);
int strata_old_pthread_once(pthread_once_t*, void (*)(void));
int strata_old_pthread_key_create(pthread_key_t*, void (*)(void*));
int strata_old_pthread_rwlock_rdlock(pthread_rwlock_t*);
int strata_old_pthread_rwlock_wrlock(pthread_rwlock_t*);
int strata_old_pthread_rwlock_unlock(pthread_rwlock_t*);

STRATA_HIDDEN double __wrap_log(double x) { return strata_old_log(x); }
STRATA_HIDDEN int __wrap_fstat(int fd, struct stat* buf) { return strata_old_fxstat(STRATA_STAT_VER, fd, buf); }
STRATA_HIDDEN int __wrap_fstat64(int fd, struct stat64* buf) { return strata_old_fxstat64(STRATA_STAT_VER, fd, buf); }
STRATA_HIDDEN int __wrap_pthread_create(pthread_t* t, const pthread_attr_t* a, void* (*f)(void*), void* arg) {
  return strata_old_pthread_create(t, a, f, arg);
}
STRATA_HIDDEN int __wrap_pthread_join(pthread_t t, void** r) { return strata_old_pthread_join(t, r); }
STRATA_HIDDEN int __wrap_pthread_once(pthread_once_t* o, void (*f)(void)) { return strata_old_pthread_once(o, f); }
STRATA_HIDDEN int __wrap___pthread_key_create(pthread_key_t* k, void (*d)(void*)) {
  return strata_old_pthread_key_create(k, d);
}
STRATA_HIDDEN int __wrap_pthread_rwlock_rdlock(pthread_rwlock_t* l) { return strata_old_pthread_rwlock_rdlock(l); }
STRATA_HIDDEN int __wrap_pthread_rwlock_wrlock(pthread_rwlock_t* l) { return strata_old_pthread_rwlock_wrlock(l); }
STRATA_HIDDEN int __wrap_pthread_rwlock_unlock(pthread_rwlock_t* l) { return strata_old_pthread_rwlock_unlock(l); }

// Always "maybe several threads": libstdc++ takes its atomic paths, which are correct either way.
STRATA_HIDDEN char __wrap___libc_single_threaded = 0;

// libgcc_eh (GCC 12) finds the unwind tables of a pc with _dl_find_object when the build's glibc has
// it, and otherwise walks the loaded objects with dl_iterate_phdr; this gives it the latter's answer.
// Only the fields libgcc reads are filled: the object's bounds and its PT_GNU_EH_FRAME.
namespace {
struct FindPc {
  uintptr_t pc;
  dl_find_object* out;
  bool found;
};

int find_pc(dl_phdr_info* info, size_t, void* data) {
  auto* find = static_cast<FindPc*>(data);
  const ElfW(Phdr)* eh_frame = nullptr;
  bool contains = false;
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD) {
      uintptr_t start = info->dlpi_addr + ph.p_vaddr;
      uintptr_t end = start + ph.p_memsz;
      if (find->pc >= start && find->pc < end) contains = true;
      if (start < lo) lo = start;
      if (end > hi) hi = end;
    } else if (ph.p_type == PT_GNU_EH_FRAME) {
      eh_frame = &ph;
    }
  }
  if (!contains) return 0;
  std::memset(find->out, 0, sizeof(*find->out));
  find->out->dlfo_map_start = reinterpret_cast<void*>(lo);
  find->out->dlfo_map_end = reinterpret_cast<void*>(hi);
  find->out->dlfo_eh_frame =
      eh_frame == nullptr ? nullptr : reinterpret_cast<void*>(info->dlpi_addr + eh_frame->p_vaddr);
  find->found = true;
  return 1;
}
}  // namespace

STRATA_HIDDEN int __wrap__dl_find_object(void* pc, dl_find_object* out) {
  FindPc find{reinterpret_cast<uintptr_t>(pc), out, false};
  dl_iterate_phdr(find_pc, &find);
  return find.found ? 0 : -1;
}

}  // extern "C"
#endif
