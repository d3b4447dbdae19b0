#include "xmpp/Outbox.h"

#include "Logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSaveFile>
#include <QThreadPool>
#include <QUuid>

namespace garage {

QString saveAtomically(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return {};
}

namespace {

QJsonObject toJson(const OutboxEntry &e)
{
    QJsonObject o{{QStringLiteral("seq"), e.seq},
                  {QStringLiteral("id"), e.id},
                  {QStringLiteral("text"), e.text},
                  {QStringLiteral("owners"), QJsonArray::fromStringList(e.owners)},
                  {QStringLiteral("picture"), e.picture},
                  {QStringLiteral("ownPicture"), e.ownPicture},
                  {QStringLiteral("picturePending"), e.picturePending()}, // read by older versions
                  {QStringLiteral("pictureOwners"), QJsonArray::fromStringList(e.pictureOwners)},
                  {QStringLiteral("attempts"), e.attempts},
                  {QStringLiteral("created"), e.created.toString(Qt::ISODateWithMs)},
                  {QStringLiteral("happenedAt"), e.happenedAt.toString(Qt::ISODateWithMs)}};
    if (e.droppedCount > 0) {
        o.insert(QStringLiteral("droppedCount"), e.droppedCount);
        o.insert(QStringLiteral("droppedFirst"), e.droppedFirst.toString(Qt::ISODate));
        o.insert(QStringLiteral("droppedLast"), e.droppedLast.toString(Qt::ISODate));
    }
    return o;
}

OutboxEntry fromJson(const QJsonObject &o, const QStringList &owners, qint64 seqFromName)
{
    OutboxEntry e;
    e.seq = o.value(QStringLiteral("seq")).toInteger(seqFromName);
    e.id = o.value(QStringLiteral("id")).toString();
    if (e.id.isEmpty()) // written by an older version
        e.id = QStringLiteral("gg-legacy-%1").arg(e.seq);
    e.text = o.value(QStringLiteral("text")).toString();
    e.owners = owners;
    if (o.contains(QStringLiteral("owners"))) { // still due to them, as long as they are owners
        const QStringList due = o.value(QStringLiteral("owners")).toVariant().toStringList();
        e.owners.removeIf([&due](const QString &owner) { return !due.contains(owner); });
    }
    e.picture = o.value(QStringLiteral("picture")).toString();
    e.ownPicture = o.value(QStringLiteral("ownPicture")).toBool();
    if (o.contains(QStringLiteral("pictureOwners"))) { // still due to them, as long as they are owners
        const QStringList due = o.value(QStringLiteral("pictureOwners")).toVariant().toStringList();
        e.pictureOwners = owners;
        e.pictureOwners.removeIf([&due](const QString &owner) { return !due.contains(owner); });
    } else if (o.contains(QStringLiteral("picturePending")) ? o.value(QStringLiteral("picturePending")).toBool()
                                                              : !e.picture.isEmpty()) { // written by an older version
        e.pictureOwners = owners;
    }
    e.attempts = o.value(QStringLiteral("attempts")).toInt();
    e.created = QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs);
    e.happenedAt = QDateTime::fromString(o.value(QStringLiteral("happenedAt")).toString(), Qt::ISODateWithMs);
    if (!e.happenedAt.isValid())
        e.happenedAt = e.created;
    e.droppedCount = o.value(QStringLiteral("droppedCount")).toInt();
    e.droppedFirst = QDateTime::fromString(o.value(QStringLiteral("droppedFirst")).toString(), Qt::ISODate);
    e.droppedLast = QDateTime::fromString(o.value(QStringLiteral("droppedLast")).toString(), Qt::ISODate);
    return e;
}

} // namespace

Outbox::Outbox(const QString &storageDir, QThreadPool *pool, QObject *parent)
    : QObject(parent), m_storageDir(storageDir), m_dir(storageDir + QStringLiteral("/outbox")), m_pool(pool)
{
}

Outbox::~Outbox()
{
    m_pool->waitForDone(); // the jobs post their results to this object
}

QString Outbox::path(qint64 seq, const char *suffix) const
{
    return QStringLiteral("%1/%2%3").arg(m_dir).arg(seq, 12, 10, QLatin1Char('0')).arg(QLatin1String(suffix));
}

struct Outbox::Loaded {
    QList<OutboxEntry> entries;
    QString error;
    bool ready = false;
};

namespace {

// On the disk thread: what an earlier run left in dir, oldest first.
QList<OutboxEntry> readOutbox(const QString &dir, const QStringList &owners, QString *error)
{
    QList<OutboxEntry> entries;
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create the alert outbox %1").arg(dir);
        return entries;
    }
    const QStringList files = QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile file(dir + QLatin1Char('/') + name);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
        OutboxEntry e = fromJson(o, owners, QFileInfo(name).baseName().toLongLong());
        if (!o.contains(QStringLiteral("picture")) && o.value(QStringLiteral("image")).toBool()) { // older version
            e.picture = QStringLiteral("outbox/%1.jpg").arg(e.seq, 12, 10, QLatin1Char('0'));
            e.ownPicture = true;
            e.pictureOwners = owners;
        }
        if (e.seq <= 0 || e.text.isEmpty()) {
            qCWarning(lcXmpp) << "outbox entry" << name << "is unreadable; kept as .bad";
            file.rename(file.fileName() + QStringLiteral(".bad"));
            continue;
        }
        if (e.isDone()) { // only for owners no longer configured
            file.remove();
            continue;
        }
        e.mayRepeat = e.attempts > 0;
        entries << e;
    }
    return entries;
}

} // namespace

void Outbox::load(const QStringList &owners, std::function<void(QString)> done)
{
    auto load = std::make_shared<Loaded>();
    m_load = load;
    m_loadDone = std::move(done);
    m_pool->start([this, load, dir = m_dir, owners] {
        load->entries = readOutbox(dir, owners, &load->error);
        load->ready = true;
        QMetaObject::invokeMethod(this, [this, load] {
            if (m_load != load)
                return; // put in place already (finishLoading)
            finishLoading();
        }, Qt::QueuedConnection);
    });
}

void Outbox::finishLoading()
{
    if (!m_load || !m_load->ready)
        return;
    const std::shared_ptr<Loaded> load = std::exchange(m_load, nullptr);
    const auto done = std::exchange(m_loadDone, {});
    if (!load->error.isEmpty())
        qCCritical(lcXmpp).noquote() << load->error << "(alerts are kept in memory only)";
    adopt(load->entries);
    if (done)
        done(load->error);
}

bool Outbox::open(const QStringList &owners, QString *error)
{
    QString failed;
    const QList<OutboxEntry> loaded = readOutbox(m_dir, owners, &failed);
    adopt(loaded);
    if (!failed.isEmpty()) {
        *error = failed;
        return false;
    }
    return true;
}

void Outbox::adopt(const QList<OutboxEntry> &loaded)
{
    QList<OutboxEntry> early = std::exchange(m_entries, loaded);
    m_nextSeq = 1;
    for (const OutboxEntry &e : std::as_const(m_entries))
        m_nextSeq = std::max(m_nextSeq, e.seq + 1);
    m_loaded = true;
    if (!m_entries.isEmpty())
        qCInfo(lcXmpp) << m_entries.size() << "alert(s) from an earlier run waiting in the outbox";
    // what was added meanwhile comes after them, in order, and is written now
    const auto pictures = std::exchange(m_memoryPictures, {});
    for (OutboxEntry e : early) {
        const QByteArray jpeg = pictures.value(e.seq);
        e.seq = takeSeq();
        if (e.ownPicture)
            e.picture = QStringLiteral("outbox/") + QFileInfo(path(e.seq, ".jpg")).fileName();
        writeEntry(e, jpeg);
        m_entries << e;
    }
}

void Outbox::write(std::function<QString()> job)
{
    m_pool->start([this, job = std::move(job)] {
        const QString error = job();
        QMetaObject::invokeMethod(this, [this, error] { onWritten(error); }, Qt::QueuedConnection);
    });
}

void Outbox::onWritten(const QString &error)
{
    if (!error.isEmpty()) {
        qCWarning(lcXmpp).noquote() << "outbox:" << error << "(the alert is still sent, from memory)";
        if (!m_failing) {
            m_failing = true;
            Q_EMIT storageFailed(error);
        }
    } else if (m_failing) {
        m_failing = false;
        qCInfo(lcXmpp) << "outbox writes work again";
        Q_EMIT storageRecovered();
    }
}

void Outbox::onDiskThread(std::function<QString()> job, std::function<void(QString)> done)
{
    m_pool->start([this, job = std::move(job), done = std::move(done)] {
        const QString error = job();
        QMetaObject::invokeMethod(this, [this, done, error] {
            onWritten(error); // a picture kept beside the outbox counts for the storage's health too
            done(error);
        }, Qt::QueuedConnection);
    });
}

OutboxEntry Outbox::add(OutboxEntry e, const QByteArray &jpeg)
{
    if (e.seq == 0)
        e.seq = takeSeq();
    if (e.id.isEmpty())
        e.id = QStringLiteral("gg-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    e.created = QDateTime::currentDateTimeUtc();
    if (!e.happenedAt.isValid())
        e.happenedAt = e.created;
    if (!jpeg.isEmpty()) {
        e.picture = QStringLiteral("outbox/") + QFileInfo(path(e.seq, ".jpg")).fileName();
        e.ownPicture = true;
    }
    e.pictureOwners = e.picture.isEmpty() ? QStringList() : e.owners;
    if (m_loaded)
        writeEntry(e, jpeg);
    else if (!jpeg.isEmpty())
        m_memoryPictures.insert(e.seq, jpeg);
    m_entries << e;
    return e;
}

void Outbox::writeEntry(const OutboxEntry &e, const QByteArray &jpeg)
{
    const QString dir = m_dir;
    const QString json = path(e.seq, ".json");
    const QByteArray data = QJsonDocument(toJson(e)).toJson(QJsonDocument::Compact);
    const QString jpg = path(e.seq, ".jpg");
    if (!jpeg.isEmpty())
        m_memoryPictures.insert(e.seq, jpeg);
    // the picture first: the entry that names it appears only once the picture is complete
    onDiskThread([dir, json, jpg, jpeg, data] {
        QDir().mkpath(dir);
        if (!jpeg.isEmpty())
            if (QString error = saveAtomically(jpg, jpeg); !error.isEmpty())
                return error;
        return saveAtomically(json, data);
    }, [this, seq = e.seq](const QString &error) {
        if (error.isEmpty())
            m_memoryPictures.remove(seq);
    });
}

OutboxEntry *Outbox::find(qint64 seq)
{
    for (OutboxEntry &e : m_entries)
        if (e.seq == seq)
            return &e;
    return nullptr;
}

void Outbox::insertSorted(const OutboxEntry &entry)
{
    qsizetype at = 0;
    while (at < m_entries.size() && m_entries[at].seq < entry.seq)
        ++at;
    m_entries.insert(at, entry);
    save(entry);
}

void Outbox::save(const OutboxEntry &e)
{
    if (!m_loaded)
        return; // written whole once the outbox is loaded
    const QString dir = m_dir;
    const QString json = path(e.seq, ".json");
    const QByteArray data = QJsonDocument(toJson(e)).toJson(QJsonDocument::Compact);
    write([dir, json, data] {
        QDir().mkpath(dir);
        return saveAtomically(json, data);
    });
}

void Outbox::remove(qint64 seq)
{
    QString picture;
    for (const OutboxEntry &e : std::as_const(m_entries))
        if (e.seq == seq && e.ownPicture)
            picture = m_storageDir + QLatin1Char('/') + e.picture;
    m_entries.removeIf([seq](const OutboxEntry &e) { return e.seq == seq; });
    m_memoryPictures.remove(seq);
    if (!m_loaded) // never written
        return;
    const QString json = path(seq, ".json");
    write([json, picture] {
        QFile::remove(json);
        if (!picture.isEmpty())
            QFile::remove(picture);
        return QString();
    });
}

void Outbox::readPicture(const OutboxEntry &entry, std::function<void(std::expected<QByteArray, QString>)> done)
{
    if (const auto kept = m_memoryPictures.constFind(entry.seq); kept != m_memoryPictures.cend()) {
        QMetaObject::invokeMethod(this, [done, jpeg = *kept] { done(jpeg); }, Qt::QueuedConnection);
        return;
    }
    const QString file = m_storageDir + QLatin1Char('/') + entry.picture;
    const QString name = entry.picture;
    m_pool->start([this, file, name, done = std::move(done)] {
        QFile f(file);
        std::expected<QByteArray, QString> result = std::unexpected(QString());
        if (f.open(QIODevice::ReadOnly))
            result = f.readAll();
        else
            result = std::unexpected(QStringLiteral("the picture %1 is gone from the appliance (%2)").arg(name, f.errorString()));
        QMetaObject::invokeMethod(this, [done, result] { done(result); }, Qt::QueuedConnection);
    });
}

} // namespace garage
