#include "camera/UrlCredentials.h"

#include <QRegularExpression>

namespace garage {

QString maskUrlCredentials(const QString &text)
{
    if (!text.contains(QLatin1Char('@')))
        return text;
    // scheme "://", then the user-info: greedy up to the last '@' of the line (the password may hold anything)
    static const QRegularExpression url(QStringLiteral("([A-Za-z][A-Za-z0-9+.\\-]*://)([^\\n]*)@"));
    QString out;
    qsizetype copied = 0;
    for (auto it = url.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        const QString userInfo = match.captured(2);
        const qsizetype colon = userInfo.indexOf(QLatin1Char(':'));
        // the user name alone helps to spot a wrong account; without a colon the whole user-info may be a token
        const QString masked = colon > 0 && !userInfo.first(colon).contains(QLatin1Char('/'))
                                   ? userInfo.first(colon) + QStringLiteral(":***")
                                   : QStringLiteral("***");
        out += QStringView(text).sliced(copied, match.capturedStart() - copied);
        out += match.captured(1) + masked + QLatin1Char('@');
        copied = match.capturedEnd();
    }
    out += QStringView(text).sliced(copied);
    return out;
}

} // namespace garage
