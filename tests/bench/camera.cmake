# Camera benchmark: decode + luma cost of a 640x480 MJPEG stream through the real HTTP camera and QMediaPlayer paths.
add_executable(bench_camera ${CMAKE_CURRENT_LIST_DIR}/bench_camera.cpp)
target_compile_definitions(bench_camera PRIVATE GARAGE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_link_libraries(bench_camera PRIVATE Garage::Camera Qt6::Network opencv_imgproc opencv_imgcodecs opencv_videoio)
garage_target_warnings(bench_camera)
