# Camera benchmark: decode + luma cost of a 640x480 MJPEG stream through the real QMediaPlayer path.
add_executable(bench_camera ${CMAKE_CURRENT_LIST_DIR}/bench_camera.cpp)
target_link_libraries(bench_camera PRIVATE Garage::Camera opencv_imgproc opencv_imgcodecs opencv_videoio)
garage_target_warnings(bench_camera)
