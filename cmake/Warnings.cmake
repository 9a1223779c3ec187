# Project warnings as an interface target: link it PRIVATE into every target we own.
add_library(mtl_warnings INTERFACE)
add_library(mtl::warnings ALIAS mtl_warnings)
target_compile_options(mtl_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                              -Wnon-virtual-dtor -Wold-style-cast)
# GCC 12 reports -Wmaybe-uninitialized inside its own AVX-512 intrinsics when Eigen inlines them
# (GCC bug 105593): a false positive that would bury real warnings.
# GCC 12 also reports -Wrestrict inside std::string for `"text" + std::string` at -O3 (GCC bug
# 105651), another false positive.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(mtl_warnings INTERFACE -Wno-maybe-uninitialized)
    if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        target_compile_options(mtl_warnings INTERFACE -Wno-restrict)
    endif()
endif()
