#include "RelayStanzas.h"

#include <QXmppElement.h>
#include <QXmppMessage.h>
#include <QXmppPresence.h>
#include <QXmppUtils.h>

namespace garage {
namespace {

const QString kForwardNs = QStringLiteral("urn:xmpp:forward:0");
const QString kDelayNs = QStringLiteral("urn:xmpp:delay");
const QString kClientNs = QStringLiteral("jabber:client");
const QString kApplianceNs = QStringLiteral("urn:garage-guard:0");
const QString kXmlns = QStringLiteral("xmlns");

QString typeName(QXmppMessage::Type type)
{
    switch (type) {
    case QXmppMessage::Error: return QStringLiteral("error");
    case QXmppMessage::Normal: return QStringLiteral("normal");
    case QXmppMessage::Chat: return QStringLiteral("chat");
    case QXmppMessage::GroupChat: return QStringLiteral("groupchat");
    case QXmppMessage::Headline: return QStringLiteral("headline");
    }
    return QStringLiteral("normal");
}

QXmppElement element(const QString &name, const QString &ns = {})
{
    QXmppElement e;
    e.setTagName(name);
    if (!ns.isEmpty())
        e.setAttribute(kXmlns, ns);
    return e;
}

ForwardedMessage parseForwarded(const QXmppElement &forwarded)
{
    ForwardedMessage f;
    for (QXmppElement c = forwarded.firstChildElement(); !c.isNull(); c = c.nextSiblingElement()) {
        const QString ns = c.attribute(kXmlns);
        if (c.tagName() == QLatin1String("delay") && ns == kDelayNs) {
            f.stamp = QXmppUtils::datetimeFromString(c.attribute(QStringLiteral("stamp")));
        } else if (c.tagName() == QLatin1String("message") && (ns.isEmpty() || ns == kClientNs) && f.from.isEmpty()) {
            f.from = c.attribute(QStringLiteral("from"));
            f.to = c.attribute(QStringLiteral("to"));
            f.id = c.attribute(QStringLiteral("id"));
            f.type = c.attribute(QStringLiteral("type"));
            if (f.type.isEmpty())
                f.type = QStringLiteral("normal");
            f.body = c.firstChildElement(QStringLiteral("body")).value();
        }
    }
    return f;
}

} // namespace

IncomingMessage incomingMessage(const QXmppMessage &message)
{
    IncomingMessage in{message.from(), message.to(), message.body(), typeName(message.type()), message.stamp().isValid(),
                       message.id(), std::nullopt};
    const auto extensions = message.extensions();
    for (const QXmppElement &e : extensions)
        if (e.tagName() == QLatin1String("forwarded") && e.attribute(kXmlns) == kForwardNs) {
            in.forwarded = parseForwarded(e);
            break;
        }
    return in;
}

QXmppMessage forwardedMessage(const QString &siblingFullJid, const QXmppMessage &original, const QDateTime &received)
{
    QXmppElement delay = element(QStringLiteral("delay"), kDelayNs);
    delay.setAttribute(QStringLiteral("stamp"), QXmppUtils::datetimeToString(received.toUTC()));
    QXmppElement inner = element(QStringLiteral("message"), kClientNs);
    inner.setAttribute(QStringLiteral("from"), original.from());
    inner.setAttribute(QStringLiteral("to"), original.to());
    if (!original.id().isEmpty())
        inner.setAttribute(QStringLiteral("id"), original.id());
    inner.setAttribute(QStringLiteral("type"), typeName(original.type()));
    QXmppElement body = element(QStringLiteral("body"));
    body.setValue(original.body());
    inner.appendChild(body);
    QXmppElement forwarded = element(QStringLiteral("forwarded"), kForwardNs);
    forwarded.appendChild(delay);
    forwarded.appendChild(inner);

    QXmppMessage m;
    m.setTo(siblingFullJid);
    m.setType(QXmppMessage::Chat);
    m.setId(QXmppUtils::generateStanzaUuid());
    m.setPrivate(true);
    m.addHint(QXmppMessage::NoCopy);
    m.addHint(QXmppMessage::NoStore);
    m.setExtensions({forwarded});
    return m;
}

QXmppElement applianceElement(const QString &keyword)
{
    QXmppElement e = element(QStringLiteral("appliance"), kApplianceNs);
    e.setAttribute(QStringLiteral("keyword"), keyword);
    return e;
}

QString applianceKeyword(const QXmppPresence &presence)
{
    const auto extensions = presence.extensions();
    for (const QXmppElement &e : extensions)
        if (e.tagName() == QLatin1String("appliance") && e.attribute(kXmlns) == kApplianceNs)
            return e.attribute(QStringLiteral("keyword")).trimmed();
    return {};
}

} // namespace garage
