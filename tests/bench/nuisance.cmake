# False-alarm benchmark: the synthetic nuisance and real-event clips that tests/bench/false-alarms.sh feeds to both
# garage-guard-motion and the Motion daemon.
add_executable(bench_nuisance_clips ${CMAKE_CURRENT_LIST_DIR}/bench_nuisance_clips.cpp)
target_link_libraries(bench_nuisance_clips PRIVATE garage_testsupport opencv_imgproc)
garage_target_warnings(bench_nuisance_clips)
