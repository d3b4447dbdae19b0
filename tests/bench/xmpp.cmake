add_executable(bench_xmpp ${CMAKE_CURRENT_LIST_DIR}/bench_xmpp.cpp)
target_link_libraries(bench_xmpp PRIVATE Garage::Xmpp garage_testsupport opencv_imgcodecs)
garage_target_warnings(bench_xmpp)
