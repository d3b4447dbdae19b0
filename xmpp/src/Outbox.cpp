#include "xmpp/Outbox.h"

#include "Logging.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace garage {
namespace {

bool saveAtomically(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(data);
    return file.commit();
}

} // namespace

Outbox::Outbox(const QString &directory)
    : m_dir(directory)
{
}

QString Outbox::path(qint64 seq, const char *suffix) const
{
    return QStringLiteral("%1/%2%3").arg(m_dir).arg(seq, 12, 10, QLatin1Char('0')).arg(QLatin1String(suffix));
}

bool Outbox::open(QString *error)
{
    if (!QDir().mkpath(m_dir)) {
        *error = QStringLiteral("cannot create the alert outbox %1").arg(m_dir);
        return false;
    }
    const QStringList files = QDir(m_dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile file(m_dir + QLatin1Char('/') + name);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
        OutboxEntry e;
        e.seq = o.value(QStringLiteral("seq")).toInteger();
        e.text = o.value(QStringLiteral("text")).toString();
        e.hasImage = o.value(QStringLiteral("image")).toBool();
        e.attempts = o.value(QStringLiteral("attempts")).toInt();
        e.created = QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODate);
        if (e.seq <= 0 || e.text.isEmpty()) {
            qCWarning(lcXmpp) << "outbox entry" << name << "is unreadable; kept as .bad";
            file.rename(file.fileName() + QStringLiteral(".bad"));
            continue;
        }
        m_entries << e;
        m_nextSeq = std::max(m_nextSeq, e.seq + 1);
    }
    if (!m_entries.isEmpty())
        qCInfo(lcXmpp) << m_entries.size() << "alert(s) from an earlier run waiting in the outbox";
    return true;
}

void Outbox::write(const OutboxEntry &e)
{
    const QJsonObject o{{QStringLiteral("seq"), e.seq},
                        {QStringLiteral("text"), e.text},
                        {QStringLiteral("image"), e.hasImage},
                        {QStringLiteral("attempts"), e.attempts},
                        {QStringLiteral("created"), e.created.toString(Qt::ISODate)}};
    if (!saveAtomically(path(e.seq, ".json"), QJsonDocument(o).toJson(QJsonDocument::Compact)))
        qCWarning(lcXmpp) << "cannot write the outbox entry" << e.seq << "in" << m_dir;
}

OutboxEntry Outbox::add(const QString &text, const QByteArray &jpeg)
{
    OutboxEntry e;
    e.seq = m_nextSeq++;
    e.text = text;
    e.hasImage = !jpeg.isEmpty();
    e.created = QDateTime::currentDateTimeUtc();
    // the picture first: the entry that names it appears only once the picture is complete
    if (e.hasImage && !saveAtomically(path(e.seq, ".jpg"), jpeg)) {
        qCWarning(lcXmpp) << "cannot keep the alert picture in" << m_dir << "- sending the text only";
        e.hasImage = false;
    }
    write(e);
    m_entries << e;
    return e;
}

void Outbox::markAttempt(qint64 seq)
{
    for (OutboxEntry &e : m_entries)
        if (e.seq == seq) {
            ++e.attempts;
            write(e);
        }
}

void Outbox::remove(qint64 seq)
{
    m_entries.removeIf([seq](const OutboxEntry &e) { return e.seq == seq; });
    QFile::remove(path(seq, ".json"));
    QFile::remove(path(seq, ".jpg"));
}

QByteArray Outbox::image(qint64 seq) const
{
    QFile file(path(seq, ".jpg"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace garage
