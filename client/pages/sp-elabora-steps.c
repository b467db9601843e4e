/* sp-elabora-steps.c: Elabora's steps: the service's own, their values, their errors, the summary */
#define G_LOG_DOMAIN "sp-elabora-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-elabora-page-private.h"
#include "sp-form-view.h"
#include "sp-form.h"
#include "sp-json.h"
#include "sp-step-field-row.h"

/*
 * The steps are named in step_stack: "esito", "risposta", "step:<key>" for
 * each of the service's own steps, then "riepilogo". Which of them apply
 * depends on the outcome chosen (sp_step_applies()). A field is named as the
 * API names it in `errors`: "esito", "motivazione", "risposta",
 * "steps.<step>.<field>"; what is missing is what
 * sp_processing_check_complete() says, the rule the server applies too.
 */

static char *
step_name (const SpStep *step)
{
  return g_strconcat ("step:", step->key, NULL);
}

/* The step that shows @field, or NULL when it is none of them. */
static char *
field_step (const char *field)
{
  if (g_strcmp0 (field, "esito") == 0 || g_strcmp0 (field, "motivazione") == 0)
    return g_strdup (SP_ELABORA_ESITO);
  if (g_strcmp0 (field, "risposta") == 0 || g_strcmp0 (field, "file") == 0)
    return g_strdup (SP_ELABORA_RISPOSTA);
  if (field != NULL && g_str_has_prefix (field, "steps."))
    {
      const char *key = field + strlen ("steps.");
      const char *dot = strchr (key, '.');

      return g_strdup_printf ("step:%.*s", dot != NULL ? (int) (dot - key) : (int) strlen (key), key);
    }
  return NULL;
}

/* What the user changes is no longer what an error was about. */
static void
row_changed_cb (SpStepFieldRow *row,
                SpElaboraPage  *self)
{
  if (self->filling)
    return;
  self->dirty = TRUE;
  sp_step_field_row_set_error (row, NULL);
}

static GtkWidget *
scrolled_page (GtkWidget *content)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 600);
  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  return scrolled;
}

/**
 * sp_elabora_page_build_steps:
 *
 * Adds a page for each of the service's own steps, with a row per field,
 * and the summary's page.
 */
void
sp_elabora_page_build_steps (SpElaboraPage *self)
{
  GPtrArray *steps = self->detail->steps;

  for (guint i = 0; i < steps->len; i++)
    {
      const SpStep *step = g_ptr_array_index (steps, i);
      g_autofree char *name = step_name (step);
      GtkWidget *group = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), step->title);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             step->only_if_approved
                                             ? _("Only when the application is accepted. Fields marked with * are required.")
                                             : _("Fields marked with * are required."));
      for (guint j = 0; j < step->fields->len; j++)
        {
          const SpStepField *field = g_ptr_array_index (step->fields, j);
          GtkWidget *row = sp_step_field_row_new (field);
          char *path = g_strdup_printf ("steps.%s.%s", step->key, field->key);

          gtk_widget_set_name (row, path);
          g_signal_connect_object (row, "changed", G_CALLBACK (row_changed_cb), self, 0);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
          g_hash_table_insert (self->rows, path, row);
        }
      gtk_stack_add_named (self->step_stack, scrolled_page (group), name);
    }

  self->summary_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_stack_add_named (self->step_stack, scrolled_page (self->summary_box), SP_ELABORA_SUMMARY);
}

static const SpDocumentInfo *
find_document (SpPraticaDetail *detail,
               const char      *id)
{
  for (guint i = 0; id != NULL && i < detail->documents->len; i++)
    {
      const SpDocumentInfo *info = g_ptr_array_index (detail->documents, i);

      if (g_strcmp0 (info->id, id) == 0)
        return info;
    }
  return NULL;
}

/**
 * sp_elabora_page_fill:
 *
 * Shows the work as the server has it (`processing`): every value, the
 * response file, the steps it reached.
 */
void
sp_elabora_page_fill (SpElaboraPage *self)
{
  SpProcessing *processing = self->detail->processing;
  const char *esito = processing != NULL ? processing->esito : NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->motivazione_view);
  GHashTableIter iter;
  gpointer key;
  gpointer row;

  self->filling = TRUE;
  gtk_check_button_set_active (self->accept_check, g_strcmp0 (esito, SP_ESITO_ACCEPTED) == 0);
  gtk_check_button_set_active (self->reject_check, g_strcmp0 (esito, SP_ESITO_REJECTED) == 0);
  gtk_text_buffer_set_text (buffer, processing != NULL && processing->motivazione != NULL
                                    ? processing->motivazione : "", -1);

  if (processing != NULL && processing->risposta != NULL)
    {
      const SpDocumentInfo *info = find_document (self->detail, processing->risposta);
      SpDocumentInfo unknown = { .id = processing->risposta, .kind = (char *) "allegato",
                                 .filename = processing->risposta, .size = -1 };

      sp_response_upload_set_document (self->response_upload, info != NULL ? info : &unknown);
    }
  else
    {
      sp_response_upload_set_document (self->response_upload, NULL);
    }

  g_hash_table_remove_all (self->reached);
  g_hash_table_add (self->reached, g_strdup (SP_ELABORA_ESITO));
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &row))
    {
      g_auto(GStrv) parts = g_strsplit (key, ".", 3);
      JsonNode *values = processing != NULL ? json_object_get_member (processing->steps, parts[1]) : NULL;
      JsonObject *object = values != NULL && JSON_NODE_HOLDS_OBJECT (values) ? json_node_get_object (values) : NULL;

      sp_step_field_row_set_value (row, object != NULL ? json_object_get_member (object, parts[2]) : NULL,
                                   object != NULL ? sp_processing_get_number (processing, parts[1], parts[2]) : NULL);
      if (object != NULL)
        g_hash_table_add (self->reached, g_strconcat ("step:", parts[1], NULL));
    }
  self->filling = FALSE;
  self->dirty = FALSE;
}

/**
 * sp_elabora_page_esito:
 *
 * Returns: (nullable): the outcome chosen, %SP_ESITO_ACCEPTED or %SP_ESITO_REJECTED
 */
const char *
sp_elabora_page_esito (SpElaboraPage *self)
{
  if (gtk_check_button_get_active (self->accept_check))
    return SP_ESITO_ACCEPTED;
  if (gtk_check_button_get_active (self->reject_check))
    return SP_ESITO_REJECTED;
  return NULL;
}

/**
 * sp_elabora_page_order:
 *
 * Returns: (transfer full) (element-type utf8): the names of the steps that
 *   apply with the outcome chosen, in order
 */
GPtrArray *
sp_elabora_page_order (SpElaboraPage *self)
{
  GPtrArray *order = g_ptr_array_new_with_free_func (g_free);
  const char *esito = sp_elabora_page_esito (self);

  g_ptr_array_add (order, g_strdup (SP_ELABORA_ESITO));
  g_ptr_array_add (order, g_strdup (SP_ELABORA_RISPOSTA));
  for (guint i = 0; self->detail != NULL && i < self->detail->steps->len; i++)
    {
      const SpStep *step = g_ptr_array_index (self->detail->steps, i);

      if (sp_step_applies (step, esito))
        g_ptr_array_add (order, step_name (step));
    }
  g_ptr_array_add (order, g_strdup (SP_ELABORA_SUMMARY));
  return order;
}

static const SpStep *
find_step (SpElaboraPage *self,
           const char    *name)
{
  for (guint i = 0; name != NULL && g_str_has_prefix (name, "step:") && i < self->detail->steps->len; i++)
    {
      const SpStep *step = g_ptr_array_index (self->detail->steps, i);

      if (g_str_equal (step->key, name + strlen ("step:")))
        return step;
    }
  return NULL;
}

char *
sp_elabora_page_step_title (SpElaboraPage *self,
                            const char    *name)
{
  const SpStep *step = find_step (self, name);

  if (step != NULL)
    return g_strdup (step->title);
  if (g_strcmp0 (name, SP_ELABORA_ESITO) == 0)
    return g_strdup (_("Outcome"));
  if (g_strcmp0 (name, SP_ELABORA_RISPOSTA) == 0)
    return g_strdup (_("Response File"));
  return g_strdup (_("Summary"));
}

/**
 * sp_elabora_page_collect:
 * @problems: where to add `{field, message}` for what cannot be read (a
 *   number or a date mistyped)
 *
 * Returns: (transfer full): the work as the page shows it: the values of
 *   the steps it reached that apply with the outcome chosen
 */
SpProcessing *
sp_elabora_page_collect (SpElaboraPage *self,
                         JsonArray     *problems)
{
  SpProcessing *processing = sp_processing_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->motivazione_view);
  const SpDocumentInfo *response = sp_response_upload_get_document (self->response_upload);
  g_autofree char *motivazione = NULL;
  g_autofree char *stripped = NULL;
  GtkTextIter start;
  GtkTextIter end;

  processing->esito = g_strdup (sp_elabora_page_esito (self));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  motivazione = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  stripped = g_strstrip (g_strdup (motivazione));
  if (*stripped != '\0')
    processing->motivazione = g_steal_pointer (&motivazione);
  processing->risposta = response != NULL ? g_strdup (response->id) : NULL;

  for (guint i = 0; i < self->detail->steps->len; i++)
    {
      const SpStep *step = g_ptr_array_index (self->detail->steps, i);
      g_autofree char *name = step_name (step);
      JsonObject *values;

      if (!g_hash_table_contains (self->reached, name) || !sp_step_applies (step, processing->esito))
        continue;
      values = json_object_new ();
      for (guint j = 0; j < step->fields->len; j++)
        {
          const SpStepField *field = g_ptr_array_index (step->fields, j);
          g_autofree char *path = g_strdup_printf ("steps.%s.%s", step->key, field->key);
          g_autofree char *problem = NULL;
          g_autofree char *number = NULL;
          JsonNode *value = sp_step_field_row_get_value (g_hash_table_lookup (self->rows, path), &number, &problem);

          if (problem != NULL)
            sp_field_errors_add (problems, path, problem);
          json_object_set_member (values, field->key, value);
          if (number != NULL)
            sp_processing_set_number (processing, step->key, field->key, number);
        }
      json_object_set_object_member (processing->steps, step->key, values);
    }
  return processing;
}

static gboolean
has_error (JsonArray  *errors,
           const char *field)
{
  for (guint i = 0; i < json_array_get_length (errors); i++)
    if (g_strcmp0 (sp_json_get_string (json_array_get_object_element (errors, i), "field", NULL), field) == 0)
      return TRUE;
  return FALSE;
}

/**
 * sp_elabora_page_check:
 * @name: (nullable): a step, or %NULL for the whole work
 *
 * What stops the work from being concluded, in @name or anywhere: values
 * that cannot be read, then what sp_processing_check_complete() finds
 * missing (one problem per field).
 *
 * Returns: (transfer full): `[{field, message}]`, empty when nothing is wrong
 */
JsonArray *
sp_elabora_page_check (SpElaboraPage *self,
                       const char    *name)
{
  g_autoptr(JsonArray) problems = json_array_new ();
  g_autoptr(JsonArray) missing = json_array_new ();
  g_autoptr(SpProcessing) processing = sp_elabora_page_collect (self, problems);
  JsonArray *errors = json_array_new ();

  /* Every applicable step counts here, reached or not. */
  sp_processing_check_complete (processing, self->detail->steps, missing);
  for (guint pass = 0; pass < 2; pass++)
    {
      JsonArray *from = pass == 0 ? problems : missing;

      for (guint i = 0; i < json_array_get_length (from); i++)
        {
          JsonObject *entry = json_array_get_object_element (from, i);
          const char *field = sp_json_get_string (entry, "field", NULL);
          g_autofree char *step = field_step (field);

          if ((name == NULL || g_strcmp0 (step, name) == 0) && !has_error (errors, field))
            sp_field_errors_add (errors, field, sp_json_get_string (entry, "message", ""));
        }
    }
  return errors;
}

static void
set_label_error (GtkLabel   *label,
                 const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
clear_errors (SpElaboraPage *self,
              const char    *name)
{
  GHashTableIter iter;
  gpointer key;
  gpointer row;

  if (name == NULL || g_str_equal (name, SP_ELABORA_ESITO))
    {
      set_label_error (self->esito_error, NULL);
      set_label_error (self->motivazione_error, NULL);
      gtk_widget_remove_css_class (self->motivazione_frame, "sp-error-frame");
    }
  if (name == NULL || g_str_equal (name, SP_ELABORA_RISPOSTA))
    sp_response_upload_set_error (self->response_upload, NULL);

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &row))
    {
      g_autofree char *step = field_step (key);

      if (name == NULL || g_strcmp0 (step, name) == 0)
        sp_step_field_row_set_error (row, NULL);
    }
}

/**
 * sp_elabora_page_show_errors:
 * @errors: `[{field, message}]`, from sp_elabora_page_check() or the server
 * @name: (nullable): the step whose errors these are, or %NULL for all
 *
 * Shows each message next to its field, after clearing the ones shown before
 * in @name (or everywhere). A message for a field no step shows is a toast.
 *
 * Returns: (transfer full) (nullable): the first step with an error, in order
 */
char *
sp_elabora_page_show_errors (SpElaboraPage *self,
                             JsonArray     *errors,
                             const char    *name)
{
  g_autoptr(GPtrArray) order = sp_elabora_page_order (self);
  g_autoptr(GString) others = g_string_new (NULL);
  guint first = G_MAXUINT;

  clear_errors (self, name);
  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      JsonObject *entry = json_array_get_object_element (errors, i);
      const char *field = entry != NULL ? sp_json_get_string (entry, "field", NULL) : NULL;
      const char *message = entry != NULL ? sp_json_get_string (entry, "message", NULL) : NULL;
      g_autofree char *step = field_step (field);
      GtkWidget *row = field != NULL ? g_hash_table_lookup (self->rows, field) : NULL;
      guint index;

      if (message == NULL)
        continue;
      if (g_strcmp0 (field, "esito") == 0)
        set_label_error (self->esito_error, message);
      else if (g_strcmp0 (field, "motivazione") == 0)
        {
          set_label_error (self->motivazione_error, message);
          gtk_widget_add_css_class (self->motivazione_frame, "sp-error-frame");
        }
      else if (g_strcmp0 (step, SP_ELABORA_RISPOSTA) == 0)
        sp_response_upload_set_error (self->response_upload, message);
      else if (row != NULL)
        sp_step_field_row_set_error (SP_STEP_FIELD_ROW (row), message);
      else
        {
          g_string_append_printf (others, "%s%s", others->len > 0 ? "\n" : "", message);
          continue;
        }
      for (index = 0; index < order->len && g_strcmp0 (g_ptr_array_index (order, index), step) != 0; index++)
        ;
      first = MIN (first, index);
    }

  if (others->len > 0)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (others->str));
  return first < order->len ? g_strdup (g_ptr_array_index (order, first)) : NULL;
}

/**
 * sp_elabora_page_resume_step:
 *
 * Where the saved work stopped: the last step it reached (a step of the
 * service is reached once saved with its values), or an earlier one that
 * misses something; the summary when nothing is missing.
 *
 * Returns: (transfer full): a step's name
 */
char *
sp_elabora_page_resume_step (SpElaboraPage *self)
{
  SpProcessing *processing = self->detail->processing;
  g_autoptr(GPtrArray) order = sp_elabora_page_order (self);
  g_autoptr(JsonArray) missing = json_array_new ();
  guint last_reached = 0;
  guint first_missing = G_MAXUINT;

  if (processing == NULL)
    return g_strdup (SP_ELABORA_ESITO);
  sp_processing_check_complete (processing, self->detail->steps, missing);
  if (json_array_get_length (missing) == 0)
    return g_strdup (SP_ELABORA_SUMMARY);

  for (guint i = 0; i + 1 < order->len; i++)
    {
      const char *name = g_ptr_array_index (order, i);
      gboolean reached = g_str_equal (name, SP_ELABORA_ESITO) || g_str_equal (name, SP_ELABORA_RISPOSTA)
                         ? processing->risposta != NULL || g_str_equal (name, SP_ELABORA_ESITO)
                         : g_hash_table_contains (self->reached, name);

      if (reached)
        last_reached = i;
      for (guint j = 0; j < json_array_get_length (missing) && first_missing == G_MAXUINT; j++)
        {
          g_autofree char *step = field_step (sp_json_get_string (json_array_get_object_element (missing, j),
                                                                  "field", NULL));

          if (g_strcmp0 (step, name) == 0)
            first_missing = i;
        }
    }
  return g_strdup (g_ptr_array_index (order, MIN (last_reached, first_missing)));
}

/* Riepilogo */

static GtkWidget *
summary_group (const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *list = gtk_list_box_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  g_object_set_data (G_OBJECT (group), "list", list);
  return group;
}

/* A row "label  value" named "summary:" + @field; its error instead of the value when it has one. */
static void
summary_row (GtkWidget  *group,
             const char *field,
             const char *label,
             const char *value,
             JsonArray  *errors)
{
  g_autofree char *name = g_strconcat ("summary:", field, NULL);
  const char *error = NULL;
  GtkWidget *row;

  for (guint i = 0; i < json_array_get_length (errors) && error == NULL; i++)
    {
      JsonObject *entry = json_array_get_object_element (errors, i);

      if (g_strcmp0 (sp_json_get_string (entry, "field", NULL), field) == 0)
        error = sp_json_get_string (entry, "message", NULL);
    }
  row = sp_form_view_create_row (label, error != NULL ? error : value, FALSE);
  gtk_widget_set_name (row, name);
  if (error != NULL)
    gtk_widget_add_css_class (gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row))),
                              "error");
  gtk_list_box_append (GTK_LIST_BOX (g_object_get_data (G_OBJECT (group), "list")), row);
}

/**
 * sp_elabora_page_build_summary:
 *
 * Fills *Riepilogo* with the work as it would be concluded: the outcome,
 * the motivation, the response file and every field of the steps that
 * apply, with what is still missing in its place.
 */
void
sp_elabora_page_build_summary (SpElaboraPage *self)
{
  g_autoptr(JsonArray) problems = json_array_new ();
  g_autoptr(SpProcessing) processing = sp_elabora_page_collect (self, problems);
  g_autoptr(JsonArray) errors = sp_elabora_page_check (self, NULL);
  g_autoptr(SpValueFormat) format = sp_value_format_new (NULL);
  const SpDocumentInfo *response = sp_response_upload_get_document (self->response_upload);
  GtkWidget *child;
  GtkWidget *group;
  GtkWidget *notice;
  const char *esito_text = NULL;

  while ((child = gtk_widget_get_first_child (self->summary_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->summary_box), child);

  if (json_array_get_length (errors) > 0)
    notice = gtk_label_new (g_dngettext (GETTEXT_PACKAGE, "One thing is missing before the application can be concluded.",
                                         "Some things are missing before the application can be concluded.",
                                         json_array_get_length (errors)));
  else if (g_strcmp0 (processing->esito, SP_ESITO_ACCEPTED) == 0)
    notice = gtk_label_new (_("Concluding accepts the application: Sportello draws the response letter, records "
                              "the outcome and e-mails the citizen the letter and your file."));
  else
    notice = gtk_label_new (_("Concluding rejects the application: Sportello draws the response letter with the "
                              "motivation, records the outcome and e-mails the citizen the letter and your file."));
  gtk_widget_set_name (notice, "summary-notice");
  gtk_label_set_wrap (GTK_LABEL (notice), TRUE);
  gtk_label_set_xalign (GTK_LABEL (notice), 0.0f);
  gtk_widget_add_css_class (notice, json_array_get_length (errors) > 0 ? "error" : "dim-label");
  gtk_box_append (GTK_BOX (self->summary_box), notice);

  if (g_strcmp0 (processing->esito, SP_ESITO_ACCEPTED) == 0)
    esito_text = _("Accepted");
  else if (g_strcmp0 (processing->esito, SP_ESITO_REJECTED) == 0)
    esito_text = _("Rejected");
  group = summary_group (_("Outcome"));
  summary_row (group, "esito", _("Outcome"), esito_text, errors);
  summary_row (group, "motivazione", _("Motivation"), processing->motivazione, errors);
  gtk_box_append (GTK_BOX (self->summary_box), group);

  group = summary_group (_("Response File"));
  if (response != NULL && response->signer != NULL)
    {
      /* Translators: a file's name, then who signed it */
      g_autofree char *text = g_strdup_printf (_("%s, signed by %s"), response->filename, response->signer);

      summary_row (group, "risposta", _("File"), text, errors);
    }
  else
    {
      summary_row (group, "risposta", _("File"), response != NULL ? response->filename : NULL, errors);
    }
  gtk_box_append (GTK_BOX (self->summary_box), group);

  for (guint i = 0; i < self->detail->steps->len; i++)
    {
      const SpStep *step = g_ptr_array_index (self->detail->steps, i);
      g_autofree char *path = NULL;
      JsonObject *values = NULL;

      if (!sp_step_applies (step, processing->esito))
        continue;
      if (json_object_has_member (processing->steps, step->key))
        values = json_object_get_object_member (processing->steps, step->key);
      group = summary_group (step->title);
      for (guint j = 0; j < step->fields->len; j++)
        {
          const SpStepField *field = g_ptr_array_index (step->fields, j);
          JsonNode *value = values != NULL ? json_object_get_member (values, field->key) : NULL;
          const char *number = sp_processing_get_number (processing, step->key, field->key);
          g_autofree char *text = number != NULL ? sp_form_number_to_text (number, format)
                                                 : sp_form_value_to_text (value, sp_step_field_type_to_string (field->type), format);

          g_free (path);
          path = g_strdup_printf ("steps.%s.%s", step->key, field->key);
          summary_row (group, path, field->label, text, errors);
        }
      gtk_box_append (GTK_BOX (self->summary_box), group);
    }
}
