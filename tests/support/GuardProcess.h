// The garage-guard daemon as the owner installs it, run by a test: its own config file, its log collected, started,
// stopped with SIGTERM (what systemd does) or killed with SIGKILL (a power cut), optionally under a wrapper such as
// faketime. Paired with CameraServer (tests/camera/mjpeg_server.py): an MJPEG network camera that can die and return.
#pragma once

#include "Phone.h"
#include "ProsodyServer.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <optional>

namespace garage::test {

class GuardProcess
{
public:
    explicit GuardProcess(QString configPath);
    ~GuardProcess();

    // The [xmpp] section for the appliance account `user` on `server` (the owner me@<domain>, TLS with its CA), the
    // generous command rate a test needs, then `sections` (camera, temperature, storage...).
    static QByteArray config(const ProsodyServer &server, const QString &user, const QString &password,
                             const QByteArray &sections);

    // Run the daemon as `wrapper... garage-guard --config FILE` with these extra environment variables.
    void setWrapper(QStringList wrapper) { m_wrapper = std::move(wrapper); }
    void setEnvironment(const QProcessEnvironment &env) { m_env = env; }

    // Starts and waits until it is online (its initial presence sent), so that a command is not stored offline (and
    // then, delayed, rightly ignored). False, with the log in *error, if it did not.
    bool start(QString *error, int onlineTimeoutMs = 20000);
    // SIGTERM and wait for a clean exit (true), as systemd stops it.
    bool stop();
    // SIGKILL: nothing gets the chance to be written.
    void kill();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process.processId(); }

    QByteArray log() const { return m_log; }
    // Waits (running the event loop) until the log has `text` after position `from`.
    bool waitForLog(QByteArrayView text, int timeoutMs, qsizetype from = 0);

private:
    QString m_configPath;
    QStringList m_wrapper;
    QProcessEnvironment m_env;
    QProcess m_process;
    QByteArray m_log;
};

// The MJPEG network camera: serves the *.jpg of a directory in a loop at `fps` on 127.0.0.1:port.
class CameraServer
{
public:
    CameraServer(QString framesDir, double fps);
    ~CameraServer();
    // A port no one listens on yet (the camera's address before it is up).
    static quint16 freePort();
    bool start(quint16 port);
    void kill();
    QString url() const;

private:
    QString m_framesDir;
    double m_fps;
    quint16 m_port = 0;
    QProcess m_process;
};

// The owner asks the appliance `bare` and waits for the reply that starts with one of `expected`; replies that came
// before the question do not count.
std::optional<PhoneMessage> ask(Phone &phone, const QString &bare, const QString &command, const QStringList &expected,
                                int timeoutMs = 10000);

} // namespace garage::test
