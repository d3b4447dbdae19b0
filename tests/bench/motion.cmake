# bench_motion_frames decodes the clip to raw grey frames; bench_motion measures the analysis on them without loading
# OpenCV's video I/O (whose libhighway dependency uses instructions valgrind cannot run).
add_executable(bench_motion_frames ${CMAKE_CURRENT_LIST_DIR}/bench_motion_frames.cpp)
target_link_libraries(bench_motion_frames PRIVATE opencv_videoio opencv_imgproc opencv_imgcodecs)
garage_target_warnings(bench_motion_frames)
add_executable(bench_motion ${CMAKE_CURRENT_LIST_DIR}/bench_motion.cpp)
target_link_libraries(bench_motion PRIVATE Garage::Motion)
garage_target_warnings(bench_motion)
# bench_decode_floor: decoding alone in real time, the floor under any detector's whole-process CPU
add_executable(bench_decode_floor ${CMAKE_CURRENT_LIST_DIR}/bench_decode_floor.cpp)
target_link_libraries(bench_decode_floor PRIVATE opencv_videoio opencv_imgcodecs)
garage_target_warnings(bench_decode_floor)
