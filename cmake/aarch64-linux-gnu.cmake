# CMake toolchain file: cross-compiles libstrata for linux-aarch64 with Debian's cross toolchain
# (g++-aarch64-linux-gnu; its arm64 glibc lives in /usr/aarch64-linux-gnu). Test executables run
# under qemu-user through CMAKE_CROSSCOMPILING_EMULATOR, so ctest works as on the host.
# scripts/setup-aarch64 installs both. Usage: cmake -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(STRATA_AARCH64_SYSROOT /usr/aarch64-linux-gnu)

set(CMAKE_FIND_ROOT_PATH ${STRATA_AARCH64_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# hnswlib is header-only and architecture-independent: the host's /usr/include/hnswlib serves
# (FindHnswlib copies just that folder into the build tree, so no other host header is seen).
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)

find_program(STRATA_QEMU_AARCH64 qemu-aarch64)
if(STRATA_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${STRATA_QEMU_AARCH64} -L ${STRATA_AARCH64_SYSROOT})
endif()
