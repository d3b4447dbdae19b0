add_executable(bench_camera ${CMAKE_CURRENT_LIST_DIR}/bench_camera.cpp)
target_link_libraries(bench_camera PRIVATE Garage::Camera garage_testsupport)
garage_target_warnings(bench_camera)
