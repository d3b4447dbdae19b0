add_executable(bench_motion ${CMAKE_CURRENT_LIST_DIR}/bench_motion.cpp)
target_link_libraries(bench_motion PRIVATE Garage::Motion opencv_videoio opencv_imgproc)
garage_target_warnings(bench_motion)
