#include "ImageSender.h"

#include "Logging.h"
#include "Uploader.h"
#include "xmpp/Outbox.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QXmppClient.h>
#include <QXmppMessage.h>
#include <QXmppTask.h>

namespace garage {

QXmppMessage chatMessage(const QString &to, const QString &body)
{
    QXmppMessage m;
    m.setTo(to);
    m.setType(QXmppMessage::Chat);
    m.setBody(body);
    m.setPrivate(true); // no carbon copies to our sibling appliances
    m.addHint(QXmppMessage::NoCopy);
    return m;
}

QXmppMessage pictureMessage(const QString &to, const QUrl &url)
{
    QXmppMessage m = chatMessage(to, url.toString());
    m.setOutOfBandUrl(url.toString()); // body == OOB URL: phones show the picture inline
    return m;
}

ImageSender::ImageSender(QXmppClient &client, const XmppConfig &config, const QString &storageDir, Outbox &disk,
                         QObject *parent)
    : QObject(parent),
      m_client(client),
      m_storageDir(storageDir),
      m_domain(config.jid.section(QLatin1Char('@'), 1)),
      m_disk(disk),
      m_uploader(std::make_unique<Uploader>(client, config))
{
}

ImageSender::~ImageSender() = default;

void ImageSender::discover(const QString &domain)
{
    m_uploader->discover(domain);
}

bool ImageSender::available() const
{
    return m_uploader->available();
}

void ImageSender::upload(const QByteArray &jpeg, Uploaded done)
{
    m_uploader->upload(jpeg, std::move(done));
}

QString ImageSender::explainFailure(const QString &error) const
{
    return m_uploader->available()
        ? QStringLiteral("The picture could not be sent: %1.").arg(error)
        : QStringLiteral("No picture: snapshots need HTTP upload (XEP-0363) on the server, and %1 offers none "
                         "(Prosody: mod_http_file_share).")
              .arg(m_domain);
}

void ImageSender::keepUndelivered(const QByteArray &jpeg, const QString &whyNotSent,
                                  std::function<void(bool kept, QString name)> done)
{
    const QString name = QStringLiteral("undelivered/%1.jpg")
                             .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
    const QString path = m_storageDir + QLatin1Char('/') + name;
    m_disk.onDiskThread(
        [path, jpeg] {
            QDir().mkpath(QFileInfo(path).absolutePath());
            return saveAtomically(path, jpeg);
        },
        [name, whyNotSent, done](const QString &error) {
            if (!error.isEmpty()) {
                qCWarning(lcXmpp).noquote() << "picture not sent:" << whyNotSent << "- NOT kept:" << error;
                done(false, error);
                return;
            }
            qCWarning(lcXmpp).noquote() << "picture not sent:" << whyNotSent << "- kept as" << name;
            done(true, name);
        });
}

void ImageSender::sendImage(const QString &to, const QByteArray &jpeg, const QString &caption, const QString &prefix)
{
    if (!m_client.isConnected()) {
        qCInfo(lcXmpp) << "not connected: picture for" << to << "dropped";
        return;
    }
    m_client.send(chatMessage(to, prefix + caption));
    upload(jpeg, [this, to, jpeg, prefix](std::expected<QUrl, QString> url) {
        if (url) {
            m_client.send(pictureMessage(to, *url));
            return;
        }
        const QString why = explainFailure(url.error());
        keepUndelivered(jpeg, url.error(), [this, to, prefix, why](bool kept, const QString &name) {
            m_client.send(chatMessage(to, prefix + why + QLatin1Char(' ')
                                              + (kept ? QStringLiteral("It is kept on the appliance as %1.").arg(name)
                                                      : QStringLiteral("It could not be saved on the appliance either: %1.").arg(name))));
        });
    });
}

} // namespace garage
