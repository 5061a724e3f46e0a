using System.Net.Http.Headers;
using System.Text;

using var client = new HttpClient();
using var request = new HttpRequestMessage(new HttpMethod("POST"), "http://127.0.0.1:8080/upload");
var form = new MultipartFormDataContent();
var part0 = new StringContent("café \"quoted\" $HOME");
form.Add(part0, "note");
var part1 = new StringContent("{\"a\": \"$b\"}");
part1.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
form.Add(part1, "meta");
var part2 = new ByteArrayContent(File.ReadAllBytes("/data/up load.bin"));
form.Add(part2, "file", "up load.bin");
var part3 = new ByteArrayContent(File.ReadAllBytes("/data/notes.txt"));
form.Add(part3, "notes", "notes.txt");
request.Content = form;

using var response = await client.SendAsync(request);
Console.WriteLine((int)response.StatusCode);
Console.WriteLine(await response.Content.ReadAsStringAsync());
