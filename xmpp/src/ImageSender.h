// Pictures to a phone: HTTP upload (with its deadline), then a message whose body is the URL with the same URL as
// XEP-0066 OOB (what makes phones show it inline). A picture that cannot be uploaded is kept under
// <storage>/undelivered (written on the disk thread) and the owner is told why and where.
#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <expected>
#include <functional>
#include <memory>

class QXmppClient;
class QXmppMessage;

namespace garage {

class Outbox;
class Uploader;
struct XmppConfig;

// A chat message from the appliance: private, no copies to sibling appliances.
QXmppMessage chatMessage(const QString &to, const QString &body);
QXmppMessage pictureMessage(const QString &to, const QUrl &url);

class ImageSender : public QObject
{
    Q_OBJECT
public:
    ImageSender(QXmppClient &client, const XmppConfig &config, const QString &storageDir, Outbox &disk,
                QObject *parent = nullptr);
    ~ImageSender() override;

    void discover(const QString &domain); // after each new session
    bool available() const;

    using Uploaded = std::function<void(std::expected<QUrl, QString>)>;
    void upload(const QByteArray &jpeg, Uploaded done);
    // Keeps a picture that could not be sent; done gets the text for the owner ("It is kept on the appliance as
    // undelivered/….jpg." or why not).
    void keepUndelivered(const QByteArray &jpeg, const QString &whyNotSent, std::function<void(bool kept, QString name)> done);
    // Why there is no picture, for the owner.
    QString explainFailure(const QString &error) const;

    // A reply with a picture (the `snapshot` command): the caption, then the picture or why there is none.
    void sendImage(const QString &to, const QByteArray &jpeg, const QString &caption, const QString &prefix);

private:
    QXmppClient &m_client;
    QString m_storageDir;
    QString m_domain;
    Outbox &m_disk;
    std::unique_ptr<Uploader> m_uploader;
};

} // namespace garage
