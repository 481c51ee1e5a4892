/* Macros Qt 5's headers define (qglobal.h, qconfig.h), for the test that a Qt
   program can include qtensor's headers. */
#ifndef QTENSOR_TESTS_QT_MACROS_H
#define QTENSOR_TESTS_QT_MACROS_H

#define QT_VERSION_STR "5.15.8"
#define QT_VERSION_MAJOR 5
#define QT_VERSION_MINOR 15
#define QT_VERSION_PATCH 8
#define QT_VERSION 0x050F08
#define QT_VERSION_CHECK(major, minor, patch) (((major) << 16) | ((minor) << 8) | (patch))
#define QT_STRINGIFY2(x) #x
#define QT_STRINGIFY(x) QT_STRINGIFY2(x)
#define QT_CONFIG(feature) (1 / QT_FEATURE_##feature == 1)
#define QT_FEATURE_thread 1
#define QT_POINTER_SIZE 8
#define QT_BEGIN_NAMESPACE
#define QT_END_NAMESPACE
#define QT_FORWARD_DECLARE_CLASS(name) class name;
#define QT_DEPRECATED __attribute__((__deprecated__))
#define QT_ASCII_CAST_WARN
#define QT_NO_DEBUG
#define QT_SHARED
#define QT_CORE_LIB
#define QT_API
#define QT_MAX_DIMS 3
#define QT_FORMAT_VERSION 0

#ifdef __cplusplus
/* Qt's keywords, unless a program defines QT_NO_KEYWORDS. */
#define signals public
#define slots
#define emit
#define foreach Q_FOREACH
#endif

#endif
