// A real Prosody on loopback for a test (run inside `deploy/env.sh --private-net`): its own test CA, TLS (or none,
// to test refusal), HTTP upload at upload.<domain> (or none), stream management (or none), accounts. Stops (or is killed) with the fixture.
#pragma once

#include <QPair>
#include <QString>
#include <QTemporaryDir>

namespace garage::test {

class ProsodyServer
{
public:
    struct Options {
        QString domain = QStringLiteral("garage.test");
        quint16 c2sPort = 5222;
        quint16 httpsPort = 5281;
        bool tls = true;
        bool httpUpload = true;                  // false: no XEP-0363 service (no upload.<domain> component)
        bool streamManagement = true;            // false: no XEP-0198 (no mod_smacks)
        quint16 uploadUrlPort = 0;               // non-zero: upload slots point at this port instead of httpsPort
        bool uploadSlotsUnanswered = false;      // true: the upload service reads slot requests and never answers
        QList<QPair<QString, QString>> accounts; // user, password
    };

    explicit ProsodyServer(Options options);
    ~ProsodyServer();

    bool start(QString *error);
    void stop();
    bool kill();                      // SIGKILL: an outage
    bool restart(QString *error);
    QString caFile() const;           // the CA that signed the server certificate
    QString wrongCaFile() const;      // an unrelated CA
    QString domain() const { return m_options.domain; }
    quint16 port() const { return m_options.c2sPort; }
    QString jid(const QString &user) const { return user + QLatin1Char('@') + m_options.domain; }
    QString directory() const { return m_dir.path(); }
    QString log() const;

private:
    Options m_options;
    QTemporaryDir m_dir;
    bool m_running = false;
};

} // namespace garage::test
