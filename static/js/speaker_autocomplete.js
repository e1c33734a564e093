'use strict';
// The admin's speaker box (statements/admin.py SpeakerSelect): Django's autocomplete of existing
// speakers, plus "New speaker: <what you typed>" as the last choice, so an editor who finds no
// one creates the speaker without leaving the page. The value sent is "new:<name>"; the server
// creates the speaker (or reuses one of exactly that name) when the form is saved.
{
    const $ = django.jQuery;

    function speakerSelect(element) {
        $(element).select2({
            ajax: {
                data: (params) => ({
                    term: params.term,
                    page: params.page,
                    app_label: element.dataset.appLabel,
                    model_name: element.dataset.modelName,
                    field_name: element.dataset.fieldName
                })
            },
            tags: true,
            createTag: (params) => {
                const name = params.term.trim();
                return name ? {id: 'new:' + name, text: 'New speaker: ' + name, newTag: true} : null;
            },
            // after the existing speakers: Enter picks the best match, never a new record by mistake
            insertTag: (data, tag) => { data.push(tag); }
        });
    }

    $(function() {
        $('.speaker-autocomplete').not('[name*=__prefix__]').each((i, element) => speakerSelect(element));
    });

    document.addEventListener('formset:added', (event) => {
        $(event.target).find('.speaker-autocomplete').each((i, element) => speakerSelect(element));
    });
}
