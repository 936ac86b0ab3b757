# Compiler and linker settings shared by every Strata native target.
#   strata_apply_flags(<target>): -O3, hidden visibility, static libstdc++, only strata_* exported,
#   unused sections dropped and (Release) symbols stripped: the library ships inside the jar.
function(strata_apply_flags target)
  target_compile_features(${target} PRIVATE cxx_std_17)
  target_compile_options(${target} PRIVATE -O3 -Wall -Wextra -fvisibility=hidden -fvisibility-inlines-hidden
                         -ffunction-sections -fdata-sections)
  target_compile_definitions(${target} PRIVATE STRATA_BUILDING)
  set_target_properties(${target} PROPERTIES C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden
                                             POSITION_INDEPENDENT_CODE ON)
  target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc -Wl,--exclude-libs,ALL
                      -Wl,--version-script=${STRATA_EXPORTS_MAP} -Wl,--no-undefined -Wl,--gc-sections
                      $<$<CONFIG:Release>:-s>)
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${STRATA_EXPORTS_MAP})
endfunction()
