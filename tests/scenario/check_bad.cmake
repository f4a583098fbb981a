# ctest helper: run `rmesim check FILE` (or `rmesim run FILE` with -DCOMMAND=run, for what is
# found when the run starts: an image file); require exit status 2 and, on stderr, FILE followed
# by the message on the file's first line ("# error: LINE:COLUMN: message").
if(NOT COMMAND)
  set(COMMAND check)
endif()
file(READ ${FILE} text)
string(FIND "${text}" "\n" eol)
math(EXPR len "${eol} - 9")
string(SUBSTRING "${text}" 9 ${len} expected)   # after "# error: "
string(STRIP "${expected}" expected)
execute_process(COMMAND ${RMESIM} ${COMMAND} ${FILE} RESULT_VARIABLE rc ERROR_VARIABLE err
                OUTPUT_QUIET)
string(STRIP "${err}" err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "exit status ${rc}, expected 2 (stderr: ${err})")
endif()
if(NOT err STREQUAL "${FILE}:${expected}")
  message(FATAL_ERROR "stderr:\n  ${err}\nexpected:\n  ${FILE}:${expected}")
endif()
