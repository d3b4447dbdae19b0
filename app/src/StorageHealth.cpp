#include "app/StorageHealth.h"

#include <QStringList>

namespace garage {

bool StorageHealth::failed(const QString &source, const QString &reason)
{
    const bool first = m_failing.isEmpty();
    m_failing.insert(source, reason);
    return first;
}

bool StorageHealth::recovered(const QString &source)
{
    return m_failing.remove(source) > 0 && m_failing.isEmpty();
}

QString StorageHealth::problem() const
{
    return QStringList(m_failing.values()).join(QStringLiteral("; "));
}

} // namespace garage
