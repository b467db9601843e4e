/* sp-dashboard-page-private.h: what the parts of SpDashboardPage share */
#pragma once

#include "sp-client.h"
#include "sp-dashboard-page.h"
#include "sp-dashboard.h"
#include "sp-pratica-list-model.h"
#include "sp-wrap-box.h"

G_BEGIN_DECLS

typedef struct _SpDashboardExport SpDashboardExport;

/* One sortable column: its sorter only tells which column the user chose. */
typedef struct
{
  SpDashboardPage *self;
  SpSortKey        key;
} SpSortColumn;

struct _SpDashboardPage
{
  AdwBin               parent_instance;

  SpClient            *client;
  SpPraticaListModel  *model;
  GDateTime           *now;             /* the days left are counted from here */
  GCancellable        *cancellable;     /* take charge and its follow-ups */
  SpDashboardExport   *export;          /* the CSV export in progress */
  gboolean             updating_buckets;
  guint                spinner_delay_id;  /* shows the spinner of a slow first page */
  gboolean             spinner_due;

  int                  all_columns_width; /* the table's minimum width with every column */
  guint                fit_columns_id;

  SpSortColumn         sort_columns[SP_N_SORT_KEYS];
  GObject             *probe_items[2];
  int                  probed_sort;     /* the SpSortKey whose sorter ran, or -1 */

  GtkToggleButton     *bucket_buttons[SP_N_BUCKETS];
  GtkLabel            *bucket_labels[SP_N_BUCKETS];
  GtkLabel            *count_labels[SP_N_BUCKETS];

  /* template */
  SpWrapBox           *toolbar;
  GtkBox              *bucket_box;
  GtkToggleButton     *bucket_da_gestire;
  GtkToggleButton     *bucket_da_assegnare;
  GtkToggleButton     *bucket_concluse;
  GtkToggleButton     *bucket_tutte;
  GtkLabel            *bucket_label_da_gestire;
  GtkLabel            *bucket_label_da_assegnare;
  GtkLabel            *bucket_label_concluse;
  GtkLabel            *bucket_label_tutte;
  GtkLabel            *count_da_gestire;
  GtkLabel            *count_da_assegnare;
  GtkLabel            *count_concluse;
  GtkLabel            *count_tutte;
  GtkSearchEntry      *search_entry;
  GtkButton           *export_button;
  GtkStack            *stack;
  GtkScrolledWindow   *scrolled_window;
  GtkColumnView       *column_view;
  GtkProgressBar      *progress_bar;
  GtkRevealer         *more_error_revealer;
  GtkLabel            *more_error_label;
  GtkSpinner          *spinner;
  AdwStatusPage       *empty_page;
  AdwStatusPage       *error_page;
};

/* sp-dashboard-columns.c */
void               sp_dashboard_page_add_columns   (SpDashboardPage    *self);
const char        *sp_dashboard_column_get_id      (GtkColumnViewColumn *column);
GtkColumnViewColumn *sp_dashboard_page_find_column (SpDashboardPage    *self,
                                                    const char         *id);
void               sp_dashboard_page_fit_columns   (SpDashboardPage    *self);
char              *sp_dashboard_format_date        (GDateTime          *datetime) G_GNUC_WARN_UNUSED_RESULT;
char              *sp_dashboard_format_days_left   (int                 days) G_GNUC_WARN_UNUSED_RESULT;

/* sp-dashboard-export.c */
void               sp_dashboard_export_start       (SpDashboardPage    *self);
void               sp_dashboard_export_free        (SpDashboardExport  *export);
void               sp_dashboard_csv_append_header  (GString            *csv);
void               sp_dashboard_csv_append_row     (GString            *csv,
                                                    SpPraticaSummary   *summary,
                                                    GDateTime          *now);

/* sp-dashboard-page.c */
void               sp_dashboard_page_add_toast     (SpDashboardPage    *self,
                                                    AdwToast           *toast);

G_END_DECLS
