# Use ccache when it is installed: rebuilds on CI and after a branch switch become cheap.
find_program(MTL_CCACHE ccache)
if(MTL_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${MTL_CCACHE}")
endif()
