export { renderReportHtml, reportTitle } from './report-html';
export { renderReportPdf } from './report-pdf';
export { projectMap, svgPath } from './report-map';
