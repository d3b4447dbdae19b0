# The soak (tests/bench/soak.sh MINUTES): two daemons for MINUTES, figures printed. Its 2-minute version is a test.
add_executable(bench_soak ${CMAKE_CURRENT_LIST_DIR}/bench_soak.cpp)
target_link_libraries(bench_soak PRIVATE garage_testsupport opencv_imgcodecs)
garage_target_warnings(bench_soak)
add_dependencies(bench_soak garage-guard)
# once, in the plain build: under ASan the memory figures are the sanitizer's, and the leak checks of the other
# suites already cover that build
if(NOT GARAGE_SANITIZE)
  add_test(NAME soak_2min COMMAND bench_soak 2 --check)
  set_tests_properties(soak_2min PROPERTIES LABELS "soak;e2e" TIMEOUT 400 RESOURCE_LOCK prosody)
endif()
