#include "GuardProcess.h"

#include "TestUtils.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTest>

#include <algorithm>
#include <csignal>

namespace garage::test {

GuardProcess::GuardProcess(QString configPath) : m_configPath(std::move(configPath))
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    QObject::connect(&m_process, &QProcess::readyReadStandardError, [this] { m_log += m_process.readAllStandardError(); });
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { m_log += m_process.readAllStandardOutput(); });
}

GuardProcess::~GuardProcess()
{
    if (isRunning())
        kill();
}

QByteArray GuardProcess::config(const ProsodyServer &server, const QString &user, const QString &password,
                                const QByteArray &sections)
{
    return "[xmpp]\njid = " + server.jid(user).toUtf8() + "\npassword = " + password.toUtf8() +
           "\nhost = 127.0.0.1\nport = " + QByteArray::number(server.port()) + "\nca_file = " + server.caFile().toUtf8() +
           "\nowners = " + server.jid(QStringLiteral("me")).toUtf8() + "\ncommands_per_minute = 120\n" + sections;
}

bool GuardProcess::start(QString *error, int onlineTimeoutMs)
{
    m_log.clear();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : m_env.keys())
        env.insert(key, m_env.value(key));
    m_process.setProcessEnvironment(env);
    QStringList command = m_wrapper;
    command << toolPath(QStringLiteral("garage-guard")) << QStringLiteral("--config") << m_configPath;
    m_process.start(command.takeFirst(), command);
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("garage-guard did not start: ") + m_process.errorString();
        return false;
    }
    // not "connected as": the initial presence goes out just after it, and a message to the bare JID before that is
    // stored offline by the server (then delivered delayed, and rightly ignored as stale)
    if (!waitForLog("online: presence sent", onlineTimeoutMs)) {
        *error = QStringLiteral("garage-guard did not log in; its log:\n") + QString::fromUtf8(m_log);
        return false;
    }
    return true;
}

bool GuardProcess::stop()
{
    if (!isRunning())
        return true;
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (m_process.waitForFinished(10000))
        return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    kill();
    return false;
}

void GuardProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

bool GuardProcess::waitForLog(QByteArrayView text, int timeoutMs, qsizetype from)
{
    return QTest::qWaitFor([&] { return m_log.indexOf(text, from) >= 0; }, timeoutMs);
}

CameraServer::CameraServer(QString framesDir, double fps) : m_framesDir(std::move(framesDir)), m_fps(fps) {}

CameraServer::~CameraServer()
{
    kill();
}

quint16 CameraServer::freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool CameraServer::start(quint16 port)
{
    m_port = port;
    m_process.start(QStringLiteral("python3"), {QStringLiteral(GARAGE_SOURCE_DIR "/tests/camera/mjpeg_server.py"),
                                                QString::number(port), m_framesDir, QString::number(m_fps)});
    if (!m_process.waitForStarted(5000))
        return false;
    return QTest::qWaitFor([&] { return m_process.readAllStandardOutput().contains("ready"); }, 10000);
}

void CameraServer::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process.processId()), SIGCONT); // in case a test left it frozen
    m_process.kill();
    m_process.waitForFinished(5000);
}

QString CameraServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1/stream.mjpg").arg(m_port);
}

std::optional<PhoneMessage> ask(Phone &phone, const QString &bare, const QString &command, const QStringList &expected,
                                int timeoutMs)
{
    const QDateTime sent = QDateTime::currentDateTimeUtc();
    phone.send(bare, command);
    return phone.waitFor(
        [&](const PhoneMessage &m) {
            return m.received >= sent
                && std::any_of(expected.begin(), expected.end(), [&](const QString &e) { return m.body.startsWith(e); });
        },
        timeoutMs);
}

} // namespace garage::test
