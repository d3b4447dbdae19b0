// What a `[camera] source` string names: a local camera (default, by id/description, or a /dev/video node) or a media URL.
#pragma once

#include <QString>
#include <QUrl>
#include <expected>

namespace garage {

struct SourceSpec {
    enum class Kind { DefaultCamera, NamedCamera, DeviceNode, Media };
    Kind kind = Kind::DefaultCamera;
    QString cameraMatch; // NamedCamera: id or description substring; DeviceNode: the /dev/videoN path
    QUrl url;            // Media: file:// (from a path or file:// URL), rtsp://, http(s)://
};

// Parses the syntax only (whether a named camera exists is the camera layer's question at start).
std::expected<SourceSpec, QString> parseSourceSpec(const QString &text);

} // namespace garage
