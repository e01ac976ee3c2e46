// libxml2 for Swift. Debian builds libxml2 with ICU, whose headers clash with Foundation's in a
// clean build; the ICU part is not needed here, so it is switched off before the headers load.
#ifndef ATTAIN_LIBXML2_SHIM_H
#define ATTAIN_LIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>

/// `xmlFree` is a C global variable, which Swift 6 rejects; call it through a function.
static inline void attain_xml_free(void *p) { xmlFree(p); }

#endif
