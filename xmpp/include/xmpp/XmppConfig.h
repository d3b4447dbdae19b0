// Settings of the XMPP link ([xmpp] section).
#pragma once

#include <QString>
#include <QStringList>

#include <chrono>

namespace garage {

enum class KeywordPolicy { Auto, Always, Never };

struct XmppConfig {
    QString jid;                                   // bare JID of the (possibly shared) account
    QString password;                              // prefer passwordFile
    QString passwordFile;                          // must not be world-readable
    QString resource = QStringLiteral("garage");
    int priority = 0;
    QString keyword;                               // defaults to the resource
    QString host;                                  // override of the SRV/domain lookup
    int port = 5222;
    bool requireTls = true;
    bool insecure = false;                         // skip certificate verification (warned on every connect)
    QString caFile;                                // a self-hosted server's own CA
    QStringList owners;                            // bare JIDs allowed to command and to receive alerts
    KeywordPolicy requireKeyword = KeywordPolicy::Auto;
    bool relay = true;                             // forward commands for a sibling appliance to it (and accept theirs)
    int commandsPerMinute = 10;                    // per sender, then one "slow down"
    QString uploadService;                         // XEP-0363 service JID; empty: discovered
    std::chrono::seconds uploadTimeout{60};        // for each stage of one picture (slot request, transfer), then it is kept instead
    std::chrono::seconds connectTimeout{30};       // TCP + TLS + login of one attempt, then abort and back off
    std::chrono::seconds conflictRetry{300};       // after another client took our resource
    int outboxMaxAlerts = 50;                      // undelivered alerts kept; older ones are summarised in one line
    std::chrono::hours outboxMaxAge{24};           // undelivered alerts older than this are summarised too

    QString effectiveKeyword() const { return keyword.isEmpty() ? resource : keyword; }
};

} // namespace garage
