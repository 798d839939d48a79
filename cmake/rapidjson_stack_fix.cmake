# SPDX-License-Identifier: MIT
# RapidJSON 1.1.0 (Debian 12's rapidjson-dev) decides whether its parse stack must grow with
# `stackTop_ + sizeof(T) * count > stackEnd_`. Before the first allocation stackTop_ is null, so
# every Parse() adds an offset to a null pointer: undefined behaviour, reported by clang's UBSan
# (-fsanitize=pointer-overflow: "applying non-zero offset 16 to null pointer",
# internal/stack.h:117) on any control request, model reply or JSON config. Upstream RapidJSON
# later compares sizes instead of pointers. Until Debian ships that, trendd compiles against a
# copy of the installed headers with that one comparison replaced by upstream's, made here at
# configure time. Nothing is copied when the installed headers already have the fix.
#
# Sets TRENDD_RAPIDJSON_INCLUDE_DIR: the directory to put before the system headers.
set(_rj_stack "")
foreach(_rj_dir ${RAPIDJSON_INCLUDE_DIRS} ${RapidJSON_INCLUDE_DIRS} /usr/include)
  if(EXISTS "${_rj_dir}/rapidjson/internal/stack.h")
    set(_rj_stack "${_rj_dir}/rapidjson/internal/stack.h")
    break()
  endif()
endforeach()
if(NOT _rj_stack)
  message(FATAL_ERROR "RapidJSON: rapidjson/internal/stack.h not found")
endif()
file(READ "${_rj_stack}" _rj_text)
set(_rj_broken "stackTop_ + sizeof(T) * count > stackEnd_")
set(_rj_fixed "static_cast<std::ptrdiff_t>(sizeof(T) * count) > (stackEnd_ - stackTop_)")
string(FIND "${_rj_text}" "${_rj_broken}" _rj_at)
if(_rj_at EQUAL -1)
  set(TRENDD_RAPIDJSON_INCLUDE_DIR "")
  message(STATUS "RapidJSON: installed headers need no stack fix")
else()
  get_filename_component(_rj_root "${_rj_stack}" DIRECTORY) # .../rapidjson/internal
  get_filename_component(_rj_root "${_rj_root}" DIRECTORY)  # .../rapidjson
  set(TRENDD_RAPIDJSON_INCLUDE_DIR "${PROJECT_BINARY_DIR}/rapidjson-fixed")
  file(REMOVE_RECURSE "${TRENDD_RAPIDJSON_INCLUDE_DIR}")
  file(COPY "${_rj_root}" DESTINATION "${TRENDD_RAPIDJSON_INCLUDE_DIR}")
  string(REPLACE "${_rj_broken}" "${_rj_fixed}" _rj_text "${_rj_text}")
  file(WRITE "${TRENDD_RAPIDJSON_INCLUDE_DIR}/rapidjson/internal/stack.h" "${_rj_text}")
  message(STATUS "RapidJSON: using ${TRENDD_RAPIDJSON_INCLUDE_DIR} (null-stack fix, cmake/rapidjson_stack_fix.cmake)")
endif()
