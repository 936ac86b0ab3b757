# strata_glibc_compat(<target>): keeps a shared library loadable on glibc 2.28 when it is built on a
# newer glibc. Adds native/src/glibc_compat.cpp and sends every reference to the symbols whose version
# is newer than 2.28 (in our objects and in the static libstdc++ / libgcc_eh alike) to its __wrap_
# replacement there. libpthread.so.0 becomes a DT_NEEDED (by file name: glibc 2.34+ has no libpthread.so): before glibc 2.34 the pthread functions
# live there (on newer glibc it is an empty stub). scripts/check-native-abi verifies the result.
set(STRATA_GLIBC_WRAPPED log fstat fstat64 pthread_create pthread_join pthread_once __pthread_key_create
    pthread_rwlock_rdlock pthread_rwlock_wrlock pthread_rwlock_unlock __libc_single_threaded _dl_find_object)

function(strata_glibc_compat target)
  target_sources(${target} PRIVATE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../native/src/glibc_compat.cpp)
  foreach(symbol IN LISTS STRATA_GLIBC_WRAPPED)
    target_link_options(${target} PRIVATE -Wl,--wrap=${symbol})
  endforeach()
  target_link_options(${target} PRIVATE "SHELL:-Wl,--push-state,--no-as-needed -l:libpthread.so.0 -Wl,--pop-state")
endfunction()
