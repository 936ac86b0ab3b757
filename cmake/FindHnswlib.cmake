# Finds the header-only hnswlib (Debian: libhnswlib-dev) and defines the target Hnswlib::hnswlib.
find_path(Hnswlib_INCLUDE_DIR NAMES hnswlib/hnswalg.h PATHS /usr/include /usr/local/include)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Hnswlib REQUIRED_VARS Hnswlib_INCLUDE_DIR)
if(Hnswlib_FOUND AND NOT TARGET Hnswlib::hnswlib)
  add_library(Hnswlib::hnswlib INTERFACE IMPORTED)
  set_target_properties(Hnswlib::hnswlib PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${Hnswlib_INCLUDE_DIR})
endif()
