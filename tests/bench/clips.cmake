# Event clip benchmark: encode CPU per clip second, pre-roll memory and clip size at the [clips] defaults.
add_executable(bench_clips ${CMAKE_CURRENT_LIST_DIR}/bench_clips.cpp)
target_link_libraries(bench_clips PRIVATE Garage::Clips garage_testsupport opencv_imgproc opencv_imgcodecs)
garage_target_warnings(bench_clips)
