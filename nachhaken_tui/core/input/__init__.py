"""What people type or import, checked and made exact: amounts, dates, phones, whole offers."""
