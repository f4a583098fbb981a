# The tools the corpus needs, found on PATH. Under CI=true a missing one fails the configure (CI
# must run what it claims to); elsewhere it is reported and the tests that need it are skipped.
#
# a64corpus_find_tool(VAR NAME PACKAGE): VAR is the path of NAME, or empty after a STATUS message
# (or a FATAL_ERROR under CI=true) naming the Debian package that provides it.
function(a64corpus_find_tool var name package)
  find_program(${var} NAMES ${name})
  if(${var})
    return()
  endif()
  set(why "${name} not found (Debian package ${package}: apt-get install ${package})")
  if("$ENV{CI}" STREQUAL "true")
    message(FATAL_ERROR "tests/a64corpus: CI=true and ${why}")
  endif()
  message(STATUS "tests/a64corpus: ${why}; the tests that need it are skipped")
  set(${var} "" PARENT_SCOPE)
endfunction()

# cmake -DTOOL=NAME -P tools.cmake: look for one tool the same way (the self-tests use it).
if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  a64corpus_find_tool(_tool "${TOOL}" "some-package")
  message(STATUS "tests/a64corpus: ${TOOL}: '${_tool}'")
endif()
