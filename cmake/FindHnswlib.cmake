# Finds the header-only hnswlib (Debian: libhnswlib-dev) and defines the target Hnswlib::hnswlib.
#
# The version is pinned: hnsw_index.cpp reads hnswlib's private fields (level-0 block layout, link
# lists) and the saved file format embeds hnswlib's own layout, both of 0.6.2. hnswlib's headers carry
# no version macro, so the check compares the SHA-256 of the headers Strata includes with those of
# 0.6.2 as Debian 12 ships it (libhnswlib-dev 0.6.2-2). Another version fails the configure step
# with a message naming the file that differs. -DSTRATA_HNSWLIB_SKIP_VERSION_CHECK=ON bypasses it
# (at your own risk: a different layout corrupts indexes or crashes on load).
find_path(Hnswlib_INCLUDE_DIR NAMES hnswlib/hnswalg.h PATHS /usr/include /usr/local/include)

set(Hnswlib_VERSION 0.6.2)
set(_strata_hnswlib_sha256
  hnswalg.h 70905de8442f03af3242edc13b182f238a5bd758b9619f6a7c4b765b139490df
  hnswlib.h 1842cf717d0586ca3c3062829700a893493cbe025af58eb6cf68f301f2de3485
  space_ip.h c82d52ffcbe549e8fe44b271f2dbf2ae47d73a49b76e861ae5f5b6fac1f318a3
  space_l2.h 77ade96e9a43176fad10394c9200527a2f611f74af52c123cdfd66a49fe0ecda
  visited_list_pool.h 9d2b97252ba52b3b248a94e1eb3aa0f34e035d1832c7e83ce037c4d4a7c5e9e8)

option(STRATA_HNSWLIB_SKIP_VERSION_CHECK "accept an hnswlib whose headers differ from 0.6.2" OFF)
if(Hnswlib_INCLUDE_DIR AND NOT STRATA_HNSWLIB_SKIP_VERSION_CHECK)
  list(LENGTH _strata_hnswlib_sha256 _n)
  math(EXPR _last "${_n} - 1")
  foreach(_i RANGE 0 ${_last} 2)
    math(EXPR _j "${_i} + 1")
    list(GET _strata_hnswlib_sha256 ${_i} _file)
    list(GET _strata_hnswlib_sha256 ${_j} _expected)
    set(_path ${Hnswlib_INCLUDE_DIR}/hnswlib/${_file})
    if(NOT EXISTS ${_path})
      message(FATAL_ERROR "hnswlib: ${_path} is missing. Strata needs hnswlib ${Hnswlib_VERSION} "
                          "(Debian: apt-get install libhnswlib-dev=0.6.2-2*; scripts/setup installs it).")
    endif()
    file(SHA256 ${_path} _actual)
    if(NOT _actual STREQUAL _expected)
      message(FATAL_ERROR "hnswlib: ${_path} is not the header of hnswlib ${Hnswlib_VERSION} "
                          "(sha256 ${_actual}, expected ${_expected}). Strata reads hnswlib's internal "
                          "layout and needs exactly ${Hnswlib_VERSION} (Debian 12: libhnswlib-dev 0.6.2-2). "
                          "Install that version, or configure with -DSTRATA_HNSWLIB_SKIP_VERSION_CHECK=ON at your own risk.")
    endif()
  endforeach()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Hnswlib REQUIRED_VARS Hnswlib_INCLUDE_DIR VERSION_VAR Hnswlib_VERSION)
if(Hnswlib_FOUND AND NOT TARGET Hnswlib::hnswlib)
  # Include a copy of just hnswlib/ rather than its parent (/usr/include): a cross build must not put
  # the host's system headers on its include path.
  set(_staged ${CMAKE_BINARY_DIR}/hnswlib-include)
  file(COPY ${Hnswlib_INCLUDE_DIR}/hnswlib DESTINATION ${_staged})
  add_library(Hnswlib::hnswlib INTERFACE IMPORTED)
  set_target_properties(Hnswlib::hnswlib PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${_staged})
endif()
