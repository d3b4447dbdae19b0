#include "ProsodyServer.h"

#include <QFile>
#include <QProcess>

namespace garage::test {
namespace {

QString script(const char *name)
{
    return QStringLiteral(GARAGE_SOURCE_DIR "/tests/support/prosody/") + QLatin1String(name);
}

} // namespace

ProsodyServer::ProsodyServer(Options options)
    : m_options(std::move(options))
{
}

ProsodyServer::~ProsodyServer()
{
    stop();
}

bool ProsodyServer::start(QString *error)
{
    QStringList args{m_dir.path(), QStringLiteral("--domain"), m_options.domain, QStringLiteral("--c2s-port"),
                     QString::number(m_options.c2sPort), QStringLiteral("--https-port"),
                     QString::number(m_options.httpsPort)};
    if (!m_options.tls)
        args << QStringLiteral("--no-tls");
    if (!m_options.httpUpload)
        args << QStringLiteral("--no-upload");
    if (!m_options.streamManagement)
        args << QStringLiteral("--no-smacks");
    if (m_options.uploadUrlPort != 0)
        args << QStringLiteral("--upload-url-port") << QString::number(m_options.uploadUrlPort);
    if (m_options.uploadSlotsUnanswered)
        args << QStringLiteral("--upload-slots-unanswered");
    for (const auto &[user, password] : std::as_const(m_options.accounts))
        args << QStringLiteral("--account") << user + QLatin1Char(':') + password;
    QProcess up;
    up.start(script("prosody-up.sh"), args);
    if (!up.waitForFinished(60000) || up.exitCode() != 0) {
        *error = QString::fromUtf8(up.readAllStandardError());
        return false;
    }
    m_running = true;
    return true;
}

void ProsodyServer::stop()
{
    if (!m_running)
        return;
    QProcess::execute(script("prosody-down.sh"), {m_dir.path()});
    m_running = false;
}

bool ProsodyServer::kill()
{
    m_running = false;
    return QProcess::execute(script("prosody-down.sh"), {m_dir.path(), QStringLiteral("--kill")}) == 0;
}

bool ProsodyServer::restart(QString *error)
{
    stop();
    return start(error); // accounts are registered again; the CA and data stay
}

QString ProsodyServer::caFile() const
{
    return m_dir.filePath(QStringLiteral("ca.pem"));
}

QString ProsodyServer::wrongCaFile() const
{
    return m_dir.filePath(QStringLiteral("wrong-ca.pem"));
}

QString ProsodyServer::log() const
{
    QFile f(m_dir.filePath(QStringLiteral("prosody.log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace garage::test
